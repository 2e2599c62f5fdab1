package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** A raw ONC RPC client over TCP or UDP for tests: builds calls, parses reply headers. */
final class RpcWire implements AutoCloseable {

    static final AtomicInteger XID = new AtomicInteger(0x1000);

    /** A parsed reply: {@code accepted} with its accept status, or denied; the body after the header. */
    record Reply(int xid, boolean accepted, int acceptStatus, int low, int high, XdrIn body) {
    }

    private final Socket tcp;
    private final DatagramSocket udp;
    private final InetSocketAddress server;

    private RpcWire(Socket tcp, DatagramSocket udp, InetSocketAddress server) {
        this.tcp = tcp;
        this.udp = udp;
        this.server = server;
    }

    static RpcWire tcp(InetSocketAddress server, int localPort) throws IOException {
        Socket s = new Socket();
        if (localPort > 0) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(localPort));
        }
        s.connect(server, 5000);
        s.setSoTimeout(10_000);
        return new RpcWire(s, null, server);
    }

    static RpcWire udp(InetSocketAddress server, int localPort) throws IOException {
        DatagramSocket d = new DatagramSocket(localPort > 0 ? new InetSocketAddress(localPort) : null);
        d.setSoTimeout(10_000);
        return new RpcWire(null, d, server);
    }

    /** A call message (without record mark) with AUTH_UNIX (uid &gt;= 0) or AUTH_NONE. */
    static XdrOut call(int xid, int prog, int vers, int proc, int uid, int gid, byte[] args) {
        XdrOut m = new XdrOut();
        m.writeInt(xid).writeInt(0).writeInt(2).writeInt(prog).writeInt(vers).writeInt(proc);
        if (uid >= 0) {
            XdrOut cred = new XdrOut().writeInt(0).writeString("test").writeInt(uid).writeInt(gid).writeInt(1).writeInt(gid);
            m.writeInt(1).writeOpaque(cred.toByteArray());
        } else {
            m.writeInt(0).writeInt(0);
        }
        m.writeInt(0).writeInt(0);
        m.writeFixed(args);
        return m;
    }

    Reply call(int prog, int vers, int proc, int uid, byte[] args) throws IOException {
        int xid = XID.incrementAndGet();
        sendRaw(call(xid, prog, vers, proc, uid, uid, args).toByteArray());
        return receive();
    }

    void sendRaw(byte[] message) throws IOException {
        if (tcp != null) {
            ByteBuffer b = ByteBuffer.allocate(4 + message.length);
            b.putInt(0x80000000 | message.length).put(message);
            tcp.getOutputStream().write(b.array());
            tcp.getOutputStream().flush();
        } else {
            udp.send(new DatagramPacket(message, message.length, server));
        }
    }

    /** Sends bytes as they are (a record mark must be included for TCP). */
    void sendBytes(byte[] bytes) throws IOException {
        if (tcp != null) {
            tcp.getOutputStream().write(bytes);
            tcp.getOutputStream().flush();
        } else {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        }
    }

    byte[] receiveBytes() throws IOException {
        if (tcp != null) {
            InputStream in = tcp.getInputStream();
            ByteBuffer all = ByteBuffer.allocate(8 << 20);
            while (true) {
                byte[] mark = in.readNBytes(4);
                if (mark.length < 4) {
                    throw new IOException("connection closed");
                }
                int m = ByteBuffer.wrap(mark).getInt();
                all.put(in.readNBytes(m & 0x7fffffff));
                if (m < 0) {
                    break;
                }
            }
            byte[] r = new byte[all.position()];
            all.flip().get(r);
            return r;
        }
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        return java.util.Arrays.copyOf(buf, p.getLength());
    }

    Reply receive() throws IOException {
        return parse(receiveBytes());
    }

    /** Waits up to {@code millis} for a reply; null if none came. */
    Reply receive(int millis) throws IOException {
        try {
            if (tcp != null) {
                tcp.setSoTimeout(millis);
            } else {
                udp.setSoTimeout(millis);
            }
            return receive();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            if (tcp != null) {
                tcp.setSoTimeout(10_000);
            } else {
                udp.setSoTimeout(10_000);
            }
        }
    }

    static Reply parse(byte[] bytes) throws IOException {
        try {
            XdrIn in = new XdrIn(bytes);
            int xid = in.readInt();
            if (in.readInt() != 1) {
                throw new IOException("not a reply");
            }
            int stat = in.readInt();
            if (stat != 0) {
                int why = in.readInt();
                int low = why == 0 ? in.readInt() : 0;
                int high = why == 0 ? in.readInt() : 0;
                return new Reply(xid, false, why, low, high, in);
            }
            in.readInt();
            in.readOpaque(400);
            int accept = in.readInt();
            int low = 0, high = 0;
            if (accept == 2) {
                low = in.readInt();
                high = in.readInt();
            }
            return new Reply(xid, true, accept, low, high, in);
        } catch (XdrIn.GarbageArgsException e) {
            throw new IOException("malformed reply: " + e.getMessage());
        }
    }

    boolean isOpen() {
        return tcp == null || (!tcp.isClosed() && tcp.isConnected());
    }

    @Override
    public void close() throws IOException {
        if (tcp != null) {
            tcp.close();
        }
        if (udp != null) {
            udp.close();
        }
    }
}
