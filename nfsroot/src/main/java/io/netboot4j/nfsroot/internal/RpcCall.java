package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One ONC RPC call message (RFC 5531 section 9) as received: its header decoded, the
 * caller's AUTH_UNIX or AUTH_NONE credentials, and its argument bytes, a view of the
 * received record (no copy). The reply messages to it are built by {@link RpcReply}.
 *
 * @param args the argument bytes, positioned at the first one
 */
record RpcCall(int xid, int program, int version, int procedure, Caller caller, ByteBuffer args) {

    static final int CALL = 0;
    static final int RPC_VERSION = 2;
    static final int AUTH_NONE = 0, AUTH_UNIX = 1;
    private static final int MAX_AUTH_BYTES = 400;
    private static final int MAX_MACHINE_NAME = 255;
    private static final int MAX_GIDS = 16;

    /** Why a call gets no accepted reply: not a call at all (dropped), or denied. */
    static final class Rejected extends Exception {
        /** The reply to send, or null to drop the message silently. */
        final RpcReply reply;

        Rejected(RpcReply reply, String why) {
            super(why, null, false, false);
            this.reply = reply;
        }
    }

    /**
     * Decodes a received record.
     *
     * @param record the whole record, positioned at its first byte; its position moves
     * @param from the peer (an IPv4 address, or an IPv4-mapped IPv6 one)
     * @throws Rejected for a message that is not a well-formed version 2 call with AUTH_UNIX or AUTH_NONE
     */
    static RpcCall decode(ByteBuffer record, InetSocketAddress from, boolean datagram) throws Rejected {
        XdrIn in = new XdrIn(record);
        int xid;
        try {
            xid = in.readInt();
            if (in.readInt() != CALL) {
                throw new Rejected(null, "not a call");
            }
        } catch (GarbageArgsException e) {
            throw new Rejected(null, "shorter than a call header");
        }
        try {
            if (in.readInt() != RPC_VERSION) {
                throw new Rejected(RpcReply.rpcMismatch(xid), "RPC version is not 2");
            }
            int program = in.readInt();
            int version = in.readInt();
            int procedure = in.readInt();
            int flavor = in.readInt();
            byte[] credential = in.readOpaque(MAX_AUTH_BYTES);
            in.readInt(); // verifier flavor: AUTH_NONE or AUTH_UNIX callers send AUTH_NONE; not checked
            in.readOpaque(MAX_AUTH_BYTES);
            Inet4Address address = ipv4(from);
            int port = from == null ? 0 : from.getPort();
            Caller caller = switch (flavor) {
                case AUTH_NONE -> Caller.none(address, port);
                case AUTH_UNIX -> unix(credential, address, port);
                default -> throw new Rejected(RpcReply.authError(xid, RpcReply.AUTH_BADCRED), "credential flavor " + flavor);
            };
            return new RpcCall(xid, program, version, procedure, datagram ? caller.overUdp() : caller, record.slice());
        } catch (GarbageArgsException e) {
            throw new Rejected(RpcReply.authError(xid, RpcReply.AUTH_BADCRED), "malformed call header: " + e.getMessage());
        }
    }

    private static Caller unix(byte[] credential, Inet4Address address, int port) throws GarbageArgsException {
        XdrIn c = new XdrIn(credential);
        c.readInt(); // stamp
        c.readOpaque(MAX_MACHINE_NAME);
        int uid = c.readInt();
        int gid = c.readInt();
        int n = c.readInt();
        if (n < 0 || n > MAX_GIDS) {
            throw new GarbageArgsException(Integer.toUnsignedString(n) + " supplementary groups");
        }
        int[] gids = new int[n];
        for (int i = 0; i < n; i++) {
            gids[i] = c.readInt();
        }
        return Caller.unix(address, port, uid, gid, gids);
    }

    private static final Inet4Address ANY = v4(new byte[4]);

    private static Inet4Address v4(byte[] b) {
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The peer's IPv4 address (IPv4-mapped IPv6 addresses unwrapped), 0.0.0.0 if it has none. */
    static Inet4Address ipv4(InetSocketAddress from) {
        InetAddress a = from == null ? null : from.getAddress();
        if (a instanceof Inet4Address x) {
            return x;
        }
        if (a != null && a.getAddress().length == 16) {
            return v4(Arrays.copyOfRange(a.getAddress(), 12, 16));
        }
        return ANY;
    }
}
