package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.net.Inet4Address;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC programs of one listening port and the answer to each call: PROG_UNAVAIL for
 * an unknown program, PROG_MISMATCH for another version of a served one, PROC_UNAVAIL,
 * GARBAGE_ARGS for undecodable arguments (counted), SYSTEM_ERR for a failure of ours, and
 * the duplicate-request cache of non-idempotent calls.
 */
final class RpcPrograms {

    private static final Logger LOG = LoggerFactory.getLogger(RpcPrograms.class);

    /** One byte-level program version. */
    @FunctionalInterface
    interface Program {
        /** The result, or null for an unknown procedure. */
        XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException;
    }

    /** How large a call's reply may be (the budget reserves it before the call runs). */
    @FunctionalInterface
    interface ReplySize {
        /** An upper bound of the reply's bytes for the procedure and its (undecoded, untrusted) arguments. */
        int of(int proc, java.nio.ByteBuffer args);

        /** Replies of metadata procedures: a few KiB. */
        ReplySize SMALL = (proc, args) -> 4096;
    }

    /**
     * A served program version.
     *
     * @param inline the procedures answered on the connection's reader (quick metadata
     *     answers); the others run on a worker, so the reader goes on reading
     * @param cached the procedures whose replies the duplicate-request cache keeps (null: no cache)
     */
    record Service(String name, int program, int version, int procedures, Program calls, IntPredicate inline,
                   ReplySize replySize, DuplicateRequestCache drc, IntPredicate cached) {

        /** A program without a duplicate-request cache whose replies are small. */
        Service(String name, int program, int version, int procedures, Program calls, IntPredicate inline) {
            this(name, program, version, procedures, calls, inline, ReplySize.SMALL, null, p -> false);
        }
    }

    /** Bound while a call runs on the thread that read it (a connection's reader). */
    static final ScopedValue<Boolean> ON_READER = ScopedValue.newInstance();

    /**
     * Thrown by a call answered on a reader that turns out to need slow work (walking the
     * export for a stale handle's file, listing a folder not listed before): the call is
     * run again on a worker, and the reader goes on reading.
     */
    static final class MoveToWorker extends RuntimeException {
        MoveToWorker() {
            super(null, null, false, false);
        }
    }

    /** Throws {@link MoveToWorker} when called on a reader, before slow work. */
    static void slowWorkAhead() {
        if (ON_READER.isBound()) {
            throw new MoveToWorker();
        }
    }

    private final Map<Integer, Service> byProgram = new HashMap<>();
    private final ExportState state;

    RpcPrograms(ExportState state, Service... services) {
        this.state = state;
        for (Service s : services) {
            byProgram.put(s.program, s);
        }
    }

    /**
     * Answers a call and hands the reply (null: none to send) to {@code done}: quick
     * procedures on this thread (the reader), unless they find slow work ahead; everything
     * else on a worker.
     */
    void dispatch(RpcCall call, Executor workers, Consumer<RpcReply> done) {
        if (inline(call)) {
            try {
                done.accept(ScopedValue.where(ON_READER, Boolean.TRUE).call(() -> answer(call)));
                return;
            } catch (MoveToWorker e) {
                // on to a worker
            }
        }
        try {
            workers.execute(() -> done.accept(answer(call)));
        } catch (RejectedExecutionException e) {
            done.accept(null); // shutting down
        }
    }

    /** Whether the call is answered on the thread that read it. */
    boolean inline(RpcCall call) {
        Service s = byProgram.get(call.program());
        return s == null || s.version != call.version() || s.inline.test(call.procedure());
    }

    /** An upper bound of the reply's size, for the in-flight budget. */
    int replySize(RpcCall call) {
        Service s = byProgram.get(call.program());
        return s == null || s.version != call.version() ? 64 : s.replySize.of(call.procedure(), call.args().duplicate());
    }

    /** The reply to a call, or null when a first transmission of the same call is still running. */
    RpcReply answer(RpcCall call) {
        Service s = byProgram.get(call.program());
        if (s == null) {
            return RpcReply.failure(call.xid(), RpcReply.PROG_UNAVAIL);
        }
        if (s.version != call.version()) {
            return RpcReply.progMismatch(call.xid(), s.version, s.version);
        }
        int proc = call.procedure();
        if (proc < 0 || proc >= s.procedures) {
            return RpcReply.failure(call.xid(), RpcReply.PROC_UNAVAIL);
        }
        Caller caller = call.caller();
        DuplicateRequestCache.Key key = null;
        if (s.drc != null && s.cached.test(proc)) {
            key = new DuplicateRequestCache.Key(caller.address(), call.xid(), call.program(), proc, call.args().hashCode());
            DuplicateRequestCache.Entry e = s.drc.begin(key);
            if (e != null) {
                if (e.reply() == null) {
                    return null; // still running: the first one answers
                }
                LOG.debug("{} retransmission xid {} from {}: replaying", s.name, call.xid(), caller.address());
                return RpcReply.success(call.xid(), e.reply());
            }
        }
        XdrOut out = null;
        try {
            out = s.calls.call(proc, new XdrIn(call.args().duplicate()), caller);
        } catch (GarbageArgsException e) {
            if (state != null) {
                state.countMalformed();
            }
            LOG.debug("{} procedure {} from {}: garbage arguments: {}", s.name, proc, caller.address(), e.getMessage());
            return abandoned(s, key, RpcReply.failure(call.xid(), RpcReply.GARBAGE_ARGS));
        } catch (MoveToWorker e) {
            abandoned(s, key, null);
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} procedure {} from {} failed", s.name, proc, caller.address(), e);
            return abandoned(s, key, RpcReply.failure(call.xid(), RpcReply.SYSTEM_ERR));
        }
        if (out == null) {
            return abandoned(s, key, RpcReply.failure(call.xid(), RpcReply.PROC_UNAVAIL));
        }
        if (key != null) {
            s.drc.complete(key, out.toByteArray());
        }
        return RpcReply.success(call.xid(), out);
    }

    private static RpcReply abandoned(Service s, DuplicateRequestCache.Key key, RpcReply reply) {
        if (key != null) {
            s.drc.abandon(key);
        }
        return reply;
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
