package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dcache.oncrpc4j.rpc.RpcAuthTypeUnix;
import org.dcache.oncrpc4j.rpc.RpcCall;
import org.dcache.oncrpc4j.rpc.RpcDispatchable;
import org.dcache.oncrpc4j.xdr.Xdr;
import org.dcache.oncrpc4j.xdr.XdrAble;
import org.dcache.oncrpc4j.xdr.XdrDecodingStream;
import org.dcache.oncrpc4j.xdr.XdrEncodingStream;
import org.glassfish.grizzly.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts the byte-level programs ({@link Nfs3}, {@link Mount3}, {@link Portmap2}) to
 * oncrpc4j's {@link RpcDispatchable}: copies the argument bytes out of the call, builds
 * the {@link Caller}, answers GARBAGE_ARGS for undecodable arguments and keeps the
 * duplicate-request cache of non-idempotent NFS calls.
 */
public final class RpcPrograms {

    private static final Logger LOG = LoggerFactory.getLogger(RpcPrograms.class);

    private RpcPrograms() {
    }

    /** A reply body already encoded. */
    static final class RawReply implements XdrAble {
        private final byte[] bytes;
        private final int length;

        RawReply(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        @Override
        public void xdrDecode(XdrDecodingStream xdr) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void xdrEncode(XdrEncodingStream xdr) {
            if (length > 0) {
                xdr.xdrEncodeOpaque(bytes, 0, length);
            }
        }
    }

    /**
     * A reply ending with file data (READ): the encoded bytes, then the data's pooled direct
     * buffer appended without a copy; the reply goes out through Grizzly's write
     * queue like any other (oncrpc4j's file-chunk path writes to the socket outside that
     * queue, which can interleave with queued replies on a busy connection).
     */
    static final class DataReply implements XdrAble {
        private final XdrOut out;

        DataReply(XdrOut out) {
            this.out = out;
        }

        @Override
        public void xdrDecode(XdrDecodingStream xdr) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void xdrEncode(XdrEncodingStream xdr) {
            if (out.size() > 0) {
                xdr.xdrEncodeOpaque(out.array(), 0, out.size());
            }
            // Appended, not copied: the buffer goes back to the pool once the reply is sent.
            ((Xdr) xdr).xdrEncodeShallowByteBuffer(new PooledBuffer(out.dataTail()));
        }
    }

    /**
     * A buffer of {@link DirectBuffers} lent to Grizzly: Grizzly disposes a written message
     * once the socket took its last byte (or the connection failed), and the buffer then
     * goes back to the pool, at most once. Without this, every READ reply would allocate
     * (and zero, and page in) a fresh 1 MiB direct buffer.
     */
    static final class PooledBuffer extends org.glassfish.grizzly.memory.ByteBufferWrapper {
        private final java.nio.ByteBuffer pooled;
        private final java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();

        PooledBuffer(java.nio.ByteBuffer pooled) {
            super(pooled);
            this.pooled = pooled;
            allowBufferDispose(true);
        }

        @Override
        public void dispose() {
            if (returned.compareAndSet(false, true)) {
                super.dispose();
                DirectBuffers.release(pooled);
            }
        }
    }

    /** One byte-level program. */
    @FunctionalInterface
    interface Program {
        /** The reply body, or null for an unknown procedure. */
        XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException;
    }

    private static final int LARGE_FROM = 64 * 1024;

    /**
     * The call's argument bytes: a view of the received record when it is one small array;
     * large ones are copied into a pooled direct buffer that {@link #release} gives back.
     */
    static java.nio.ByteBuffer arguments(RpcCall call) {
        Xdr xdr = call.getXdr();
        Buffer b = xdr.asBuffer();
        int n = b.remaining();
        if (n >= LARGE_FROM && n <= DirectBuffers.SIZE) {
            java.nio.ByteBuffer d = DirectBuffers.take();
            org.glassfish.grizzly.memory.ByteBufferArray parts = b.toByteBufferArray();
            try {
                java.nio.ByteBuffer[] array = parts.getArray();
                for (int i = 0; i < parts.size(); i++) {
                    d.put(array[i].duplicate());
                }
            } finally {
                parts.restore();
                parts.recycle();
            }
            d.flip();
            return d;
        }
        if (!b.isComposite() && b.hasArray()) {
            return java.nio.ByteBuffer.wrap(b.array(), b.arrayOffset() + b.position(), n).slice();
        }
        byte[] args = new byte[n];
        b.get(args);
        return java.nio.ByteBuffer.wrap(args);
    }

    static void release(java.nio.ByteBuffer args) {
        DirectBuffers.release(args);
    }

    static Caller caller(RpcCall call) {
        InetSocketAddress remote = call.getTransport().getRemoteSocketAddress();
        InetAddress a = remote == null ? null : remote.getAddress();
        Inet4Address v4;
        if (a instanceof Inet4Address x) {
            v4 = x;
        } else if (a != null && a.getAddress().length == 16) {
            byte[] b = a.getAddress();
            try {
                v4 = (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (IOException e) {
                v4 = null;
            }
        } else {
            v4 = null;
        }
        if (v4 == null) {
            try {
                v4 = (Inet4Address) InetAddress.getByAddress(new byte[] {0, 0, 0, 0});
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        int port = remote == null ? 0 : remote.getPort();
        if (call.getCredential() instanceof RpcAuthTypeUnix u) {
            return Caller.unix(v4, port, u.uid(), u.gid(), u.gids());
        }
        return Caller.none(v4, port);
    }

    /**
     * A dispatcher of one program version over {@code program}. Calls for which
     * {@code inline} holds (quick metadata answers) are answered on the I/O thread that
     * decoded them; the others (file data, directory listings, changes: whatever may wait
     * on the disk) run on {@code executor}, so the I/O threads never block for long.
     *
     * @param udp marks callers as datagram callers (replies must fit 64 KiB)
     */
    static RpcDispatchable dispatcher(String name, int procedures, Program program, ExportState state,
                                      DuplicateRequestCache drc, java.util.function.IntPredicate cached, boolean udp,
                                      java.util.function.IntPredicate inline, java.util.concurrent.Executor executor) {
        return call -> {
            int p = call.getProcedure();
            if (inline.test(p)) {
                handle(call, name, procedures, program, state, drc, cached, udp);
            } else {
                try {
                    executor.execute(() -> handle(call, name, procedures, program, state, drc, cached, udp));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    call.failRpcSystem(); // shutting down
                }
            }
        };
    }

    private static void handle(RpcCall call, String name, int procedures, Program program, ExportState state,
                               DuplicateRequestCache drc, java.util.function.IntPredicate cached, boolean udp) {

        int proc = call.getProcedure();
        if (proc < 0 || proc >= procedures) {
            call.failProcedureUnavailable();
            return;
        }
        Caller caller = udp ? caller(call).overUdp() : caller(call);
        DuplicateRequestCache.Key key = null;
        java.nio.ByteBuffer args = arguments(call);
        if (drc != null && cached.test(proc)) {
            key = new DuplicateRequestCache.Key(caller.address(), call.getXid(), call.getProgram(), proc, args.hashCode());
            DuplicateRequestCache.Entry e = drc.begin(key);
            if (e != null) {
                if (e.reply() != null) {
                    LOG.debug("{} retransmission xid {} from {}: replaying", name, call.getXid(), caller.address());
                    call.reply(new RawReply(e.reply(), e.reply().length));
                }
                return; // in progress: the first one answers
            }
        }
        XdrOut out;
        try {
            out = program.call(proc, new XdrIn(args.duplicate()), caller);
        } catch (GarbageArgsException e) {
            if (key != null) {
                drc.abandon(key);
            }
            if (state != null) {
                state.countMalformed();
            }
            LOG.debug("{} procedure {} from {}: garbage arguments: {}", name, proc, caller.address(), e.getMessage());
            call.failRpcGarbage();
            return;
        } catch (RuntimeException e) {
            if (key != null) {
                drc.abandon(key);
            }
            LOG.error("{} procedure {} from {} failed", name, proc, caller.address(), e);
            call.failRpcSystem();
            return;
        }
        if (out == null) {
            if (key != null) {
                drc.abandon(key);
            }
            call.failProcedureUnavailable();
            return;
        }
        if (key != null) {
            drc.complete(key, out.toByteArray());
        }
        release(args);
        call.reply(out.hasDataTail() ? new DataReply(out) : new RawReply(out.array(), out.size()));
    }

    /** Answers every call with PROG_MISMATCH(low, high): NFS v2 and v4, MOUNT v1 and v2, portmap v3 and v4. */
    static RpcDispatchable mismatch(int low, int high) {
        return call -> call.failProgramMismatch(low, high);
    }

    /** Bounded cache of replies to non-idempotent calls, keyed by client, xid, procedure and argument hash. */
    static final class DuplicateRequestCache {
        record Key(Inet4Address client, int xid, int program, int proc, int argsHash) {
        }

        record Entry(byte[] reply) {
        }

        private static final Entry IN_PROGRESS = new Entry(null);
        private final int capacity;
        private final Map<Key, Entry> map;

        DuplicateRequestCache(int capacity) {
            this.capacity = capacity;
            this.map = new LinkedHashMap<>(capacity * 2, 0.75f, false);
        }

        /** Null if the call is new (now in progress); else its entry (reply, or in progress). */
        synchronized Entry begin(Key k) {
            Entry e = map.get(k);
            if (e != null) {
                return e;
            }
            map.put(k, IN_PROGRESS);
            if (map.size() > capacity) {
                var it = map.entrySet().iterator();
                it.next();
                it.remove();
            }
            return null;
        }

        synchronized void complete(Key k, byte[] reply) {
            map.put(k, new Entry(reply));
        }

        synchronized void abandon(Key k) {
            map.remove(k);
        }
    }
}
