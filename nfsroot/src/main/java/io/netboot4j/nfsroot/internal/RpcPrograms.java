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

    /** One byte-level program. */
    @FunctionalInterface
    interface Program {
        /** The reply body, or null for an unknown procedure. */
        XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException;
    }

    static byte[] arguments(RpcCall call) {
        Xdr xdr = call.getXdr();
        Buffer b = xdr.asBuffer();
        byte[] args = new byte[b.remaining()];
        b.get(args);
        return args;
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

    /** A dispatcher of one program version over {@code program}. */
    static RpcDispatchable dispatcher(String name, int procedures, Program program, ExportState state,
                                      DuplicateRequestCache drc, java.util.function.IntPredicate cached) {
        return call -> {
            int proc = call.getProcedure();
            if (proc < 0 || proc >= procedures) {
                call.failProcedureUnavailable();
                return;
            }
            Caller caller = caller(call);
            DuplicateRequestCache.Key key = null;
            byte[] args = arguments(call);
            if (drc != null && cached.test(proc)) {
                key = new DuplicateRequestCache.Key(caller.address(), call.getXid(), call.getProgram(), proc, Arrays.hashCode(args));
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
                out = program.call(proc, new XdrIn(args), caller);
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
            call.reply(new RawReply(out.array(), out.size()));
        };
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
