package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal portmap v2 client over TCP for probing a system portmapper and registering
 * with it: NULL, SET, UNSET. Its sockets must be opened inside the network seam.
 */
public final class PortmapClient implements AutoCloseable {

    private final SocketChannel ch;

    private PortmapClient(SocketChannel ch) {
        this.ch = ch;
    }

    /**
     * Connects to the portmapper at {@code address}:{@code port} from a reserved port when
     * possible (rpcbind accepts SET from local reserved ports), answering NULL.
     *
     * @return a client, or null if nothing answers
     */
    public static PortmapClient probe(InetAddress address, int port, int timeoutMillis) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            for (int p = 1023; p >= 600; p--) {
                try {
                    ch.bind(new InetSocketAddress(p));
                    break;
                } catch (IOException e) {
                    if (p == 600) {
                        ch.close();
                        ch = SocketChannel.open();
                    }
                }
            }
            ch.socket().connect(new InetSocketAddress(address, port), timeoutMillis);
            ch.socket().setSoTimeout(timeoutMillis);
            PortmapClient c = new PortmapClient(ch);
            c.call(Portmap2.NULL, new XdrOut());
            return c;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException x) {
                    // nothing
                }
            }
            return null;
        }
    }

    /** Whether {@code program}/{@code version} answers a NULL call over TCP at {@code address}:{@code port}. */
    public static boolean ping(InetAddress address, int port, int program, int version, int timeoutMillis) {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.socket().connect(new InetSocketAddress(address, port), timeoutMillis);
            ch.socket().setSoTimeout(timeoutMillis);
            new PortmapClient(ch).call(program, version, 0, new XdrOut());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SET; true if registered. */
    public boolean set(int program, int version, int protocol, int port) throws IOException {
        XdrOut a = new XdrOut().writeInt(program).writeInt(version).writeInt(protocol).writeInt(port);
        return bool(call(Portmap2.SET, a));
    }

    /** UNSET; true if something was removed. */
    public boolean unset(int program, int version) throws IOException {
        XdrOut a = new XdrOut().writeInt(program).writeInt(version).writeInt(0).writeInt(0);
        return bool(call(Portmap2.UNSET, a));
    }

    private static boolean bool(XdrIn r) throws IOException {
        try {
            return r.readBoolean();
        } catch (XdrIn.GarbageArgsException e) {
            throw new IOException("portmapper reply is malformed: " + e.getMessage());
        }
    }

    private XdrIn call(int proc, XdrOut args) throws IOException {
        return call(Portmap2.PROGRAM, Portmap2.VERSION, proc, args);
    }

    private XdrIn call(int program, int version, int proc, XdrOut args) throws IOException {
        int xid = ThreadLocalRandom.current().nextInt();
        XdrOut m = new XdrOut();
        m.writeInt(0); // record mark, patched
        m.writeInt(xid).writeInt(0).writeInt(2).writeInt(program).writeInt(version).writeInt(proc);
        m.writeInt(0).writeInt(0); // AUTH_NONE credential
        m.writeInt(0).writeInt(0); // AUTH_NONE verifier
        m.writeFixed(args.array(), 0, args.size());
        m.setInt(0, 0x80000000 | (m.size() - 4));
        ByteBuffer out = ByteBuffer.wrap(m.array(), 0, m.size());
        while (out.hasRemaining()) {
            ch.write(out);
        }
        var in = ch.socket().getInputStream();
        byte[] mark = in.readNBytes(4);
        if (mark.length < 4) {
            throw new IOException("portmapper closed the connection");
        }
        int len = ByteBuffer.wrap(mark).getInt() & 0x7fffffff;
        if (len > 65536) {
            throw new IOException("portmapper reply of " + len + " bytes");
        }
        byte[] body = in.readNBytes(len);
        XdrIn r = new XdrIn(body);
        try {
            if (r.readInt() != xid || r.readInt() != 1 || r.readInt() != 0) {
                throw new IOException("portmapper denied the call");
            }
            r.readInt();
            r.readOpaque(400);
            if (r.readInt() != 0) {
                throw new IOException("portmapper did not accept the call");
            }
        } catch (XdrIn.GarbageArgsException e) {
            throw new IOException("portmapper reply is malformed: " + e.getMessage());
        }
        return r;
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing
        }
    }
}
