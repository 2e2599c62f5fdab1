package io.netboot4j.nfsroot.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reply message ready to send: the encoded bytes (RPC reply header and the
 * procedure's result) and, for READ, the file data as a pooled direct buffer that is
 * written to the socket as it is (no copy) and goes back to {@link DirectBuffers} once
 * sent, at most once.
 */
final class RpcReply {

    static final int REPLY = 1;
    static final int MSG_ACCEPTED = 0, MSG_DENIED = 1;
    static final int SUCCESS = 0, PROG_UNAVAIL = 1, PROG_MISMATCH = 2, PROC_UNAVAIL = 3, GARBAGE_ARGS = 4, SYSTEM_ERR = 5;
    static final int RPC_MISMATCH = 0, AUTH_ERROR = 1;
    static final int AUTH_BADCRED = 1;

    private final XdrOut head;
    private final ByteBuffer data;
    private final AtomicBoolean released = new AtomicBoolean();

    private RpcReply(XdrOut head, ByteBuffer data) {
        this.head = head;
        this.data = data;
    }

    /** The start of every reply: xid, REPLY, and the reply status. */
    private static XdrOut start(int xid, int replyStat, int capacity) {
        return new XdrOut(capacity).writeInt(xid).writeInt(REPLY).writeInt(replyStat);
    }

    private static XdrOut accepted(int xid, int acceptStat, int capacity) {
        return start(xid, MSG_ACCEPTED, capacity).writeInt(RpcCall.AUTH_NONE).writeInt(0).writeInt(acceptStat);
    }

    /** SUCCESS with a procedure's result (and its data tail, if any). */
    static RpcReply success(int xid, XdrOut result) {
        XdrOut head = accepted(xid, SUCCESS, 24 + result.size() + 4);
        head.writeFixed(result.array(), 0, result.size());
        ByteBuffer tail = result.dataTail();
        if (tail != null) {
            head.writeInt(tail.remaining());
        }
        return new RpcReply(head, tail);
    }

    /** SUCCESS with a result already encoded (a duplicate-request cache entry). */
    static RpcReply success(int xid, byte[] result) {
        return new RpcReply(accepted(xid, SUCCESS, 24 + result.length).writeFixed(result), null);
    }

    /** PROG_UNAVAIL, PROC_UNAVAIL, GARBAGE_ARGS or SYSTEM_ERR. */
    static RpcReply failure(int xid, int acceptStat) {
        return new RpcReply(accepted(xid, acceptStat, 24), null);
    }

    static RpcReply progMismatch(int xid, int low, int high) {
        return new RpcReply(accepted(xid, PROG_MISMATCH, 32).writeInt(low).writeInt(high), null);
    }

    static RpcReply rpcMismatch(int xid) {
        return new RpcReply(start(xid, MSG_DENIED, 24).writeInt(RPC_MISMATCH).writeInt(RpcCall.RPC_VERSION).writeInt(RpcCall.RPC_VERSION), null);
    }

    static RpcReply authError(int xid, int authStat) {
        return new RpcReply(start(xid, MSG_DENIED, 24).writeInt(AUTH_ERROR).writeInt(authStat), null);
    }

    /** Bytes on the wire, without a record mark. */
    int length() {
        return head.size() + (data == null ? 0 : (data.remaining() + 3) & ~3);
    }

    /** The message as one array (a datagram). */
    byte[] toByteArray() {
        byte[] all = java.util.Arrays.copyOf(head.array(), length());
        if (data != null) {
            data.duplicate().get(all, head.size(), data.remaining());
        }
        return all;
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(4).asReadOnlyBuffer();

    /**
     * The buffers to write for TCP: record mark and encoded bytes, copied into the
     * connection's direct buffer {@code out} when they fit (a heap buffer in a socket write
     * makes the JDK copy it into a temporary direct buffer, which a virtual thread does not
     * keep), then the data (the pooled buffer itself, written without a copy) and its
     * padding.
     */
    ByteBuffer[] tcpBuffers(ByteBuffer out) {
        ByteBuffer bytes;
        if (4 + head.size() <= out.capacity()) {
            bytes = out.clear().putInt(0x80000000 | length()).put(head.array(), 0, head.size()).flip();
        } else {
            bytes = ByteBuffer.allocate(4 + head.size()).putInt(0x80000000 | length()).put(head.array(), 0, head.size()).flip();
        }
        if (data == null) {
            return new ByteBuffer[] {bytes};
        }
        return new ByteBuffer[] {bytes, data, ZEROS.duplicate().limit(-data.remaining() & 3)};
    }

    /** Gives the data buffer back to the pool; later calls do nothing. */
    void release() {
        if (data != null && released.compareAndSet(false, true)) {
            DirectBuffers.release(data);
        }
    }
}
