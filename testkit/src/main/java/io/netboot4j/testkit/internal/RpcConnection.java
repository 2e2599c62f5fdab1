package io.netboot4j.testkit.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * An ONC RPC (RFC 5531) client connection over TCP with record marking, as the Linux
 * kernel and klibc {@code nfsmount} open them: bound to the node's own address, from a
 * reserved port (below 1024, taken from 1023 down as {@code bindresvport} does) when asked,
 * with {@code AUTH_SYS} credentials of root. One call at a time; the node's
 * {@link Impairment} delays each call and reply (and costs an RTO for a "lost" segment).
 */
public final class RpcConnection implements AutoCloseable {

    /** Why a call was not accepted, or the reply was malformed. */
    public static final class RpcException extends IOException {
        RpcException(String message) {
            super(message);
        }
    }

    private static final int MAX_REPLY = 4 << 20;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Impairment link;
    private final String machine;
    private int xid;

    private RpcConnection(Socket socket, Impairment link, String machine, int firstXid) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 << 10));
        this.out = socket.getOutputStream();
        this.link = link;
        this.machine = machine;
        this.xid = firstXid;
    }

    /**
     * Connects from {@code local} (a reserved port if {@code reserved}) to {@code server}.
     *
     * @param seam where the socket is made (the tester's namespace)
     * @param machine the AUTH_SYS machine name
     */
    public static RpcConnection open(NetworkSeam seam, Inet4Address local, boolean reserved, InetSocketAddress server,
            Impairment link, String machine, int firstXid) throws IOException {
        Socket s;
        try {
            s = seam.call(() -> bind(local, reserved));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot bind a socket to " + local + ": " + e.getMessage(), e);
        }
        try {
            s.setTcpNoDelay(true);
            s.connect(server, 30_000);
            s.setSoTimeout(60_000);
            return new RpcConnection(s, link, machine, firstXid);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect from " + local.getHostAddress() + " to " + server + ": " + e.getMessage(), e);
        }
    }

    private static Socket bind(Inet4Address local, boolean reserved) throws IOException {
        if (!reserved) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(local, 0));
            return s;
        }
        for (int port = 1023; port >= 600; port--) {
            Socket s = new Socket();
            try {
                s.bind(new InetSocketAddress(local, port));
                return s;
            } catch (BindException taken) {
                s.close();
            }
        }
        throw new BindException("no reserved port free on " + local.getHostAddress());
    }

    /**
     * Calls {@code proc} of {@code prog}/{@code vers} and returns a reader positioned at the
     * results.
     *
     * @throws RpcException if the call was denied or not accepted
     */
    public Xdr call(int prog, int vers, int proc, Consumer<Xdr> args) throws IOException {
        int id = xid++;
        Xdr x = Xdr.writer().putInt(id).putInt(0).putInt(2).putInt(prog).putInt(vers).putInt(proc);
        Xdr cred = Xdr.writer().putInt(0).putString(machine).putInt(0).putInt(0).putInt(0);
        x.putInt(1).putOpaque(cred.bytes()).putInt(0).putInt(0);
        args.accept(x);
        byte[] body = x.bytes();
        link.tcp();
        ByteBuffer frame = ByteBuffer.allocate(4 + body.length).putInt(0x80000000 | body.length).put(body);
        out.write(frame.array());
        out.flush();
        Xdr r;
        do {
            r = Xdr.reader(readRecord(in));
        } while (r.remaining() < 4 || r.peekInt() != id);
        link.tcp();
        r.getInt();
        if (r.getInt() != 1) {
            throw new RpcException("not a reply");
        }
        if (r.getInt() != 0) {
            throw new RpcException("call " + proc + " of program " + prog + " denied");
        }
        r.getInt();
        r.getOpaque();
        int accept = r.getInt();
        if (accept != 0) {
            throw new RpcException("call " + proc + " of program " + prog + " not accepted: accept_stat " + accept);
        }
        return r;
    }

    private static byte[] readRecord(InputStream stream) throws IOException {
        DataInputStream d = (DataInputStream) stream;
        java.io.ByteArrayOutputStream all = null;
        while (true) {
            int mark = d.readInt();
            int len = mark & 0x7FFFFFFF;
            if (len > MAX_REPLY) {
                throw new RpcException("record fragment of " + len + " bytes");
            }
            byte[] frag = new byte[len];
            d.readFully(frag);
            if ((mark & 0x80000000) != 0 && all == null) {
                return frag;
            }
            if (all == null) {
                all = new java.io.ByteArrayOutputStream();
            }
            all.write(frag);
            if ((mark & 0x80000000) != 0) {
                return all.toByteArray();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
