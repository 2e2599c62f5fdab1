package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portmapper, version 2 (RFC 1833 section 3): NULL, SET, UNSET, GETPORT, DUMP.
 * Started in-process when no portmapper answers on the portmap port; SET and UNSET are
 * accepted only from the server itself (a loopback or server address), as rpcbind does.
 */
public final class Portmap2 {

    public static final int PROGRAM = 100000;
    public static final int VERSION = 2;
    public static final int NULL = 0, SET = 1, UNSET = 2, GETPORT = 3, DUMP = 4, CALLIT = 5;
    public static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17;

    /** One registration. */
    public record Mapping(int program, int version, int protocol, int port) {
    }

    private record Key(int program, int version, int protocol) {
    }

    private final Map<Key, Integer> map = new ConcurrentHashMap<>();

    /** Registers a program locally. */
    public void set(int program, int version, int protocol, int port) {
        map.put(new Key(program, version, protocol), port);
    }

    public List<Mapping> mappings() {
        List<Mapping> l = new ArrayList<>();
        map.forEach((k, v) -> l.add(new Mapping(k.program, k.version, k.protocol, v)));
        l.sort(java.util.Comparator.comparingInt(Mapping::program).thenComparingInt(Mapping::version)
                .thenComparingInt(Mapping::protocol));
        return l;
    }

    /**
     * Answers one call.
     *
     * @param local whether the caller is this host (may SET and UNSET)
     * @return the reply body, or null for CALLIT (unsupported: PROC_UNAVAIL)
     */
    public XdrOut call(int proc, XdrIn in, boolean local) throws GarbageArgsException {
        XdrOut out = new XdrOut();
        switch (proc) {
            case NULL -> { }
            case SET, UNSET -> {
                int prog = in.readInt();
                int vers = in.readInt();
                int prot = in.readInt();
                int port = in.readInt();
                if (!local) {
                    out.writeBoolean(false);
                } else if (proc == SET) {
                    Integer prev = map.putIfAbsent(new Key(prog, vers, prot), port);
                    out.writeBoolean(prev == null || prev == port);
                } else {
                    boolean removed = false;
                    for (int p : new int[] {IPPROTO_TCP, IPPROTO_UDP}) {
                        removed |= map.remove(new Key(prog, vers, p)) != null;
                    }
                    out.writeBoolean(removed);
                }
            }
            case GETPORT -> {
                int prog = in.readInt();
                int vers = in.readInt();
                int prot = in.readInt();
                in.readInt();
                Integer port = map.get(new Key(prog, vers, prot));
                out.writeInt(port == null ? 0 : port);
            }
            case DUMP -> {
                for (Mapping m : mappings()) {
                    out.writeBoolean(true);
                    out.writeInt(m.program).writeInt(m.version).writeInt(m.protocol).writeInt(m.port);
                }
                out.writeBoolean(false);
            }
            default -> {
                return null;
            }
        }
        return out;
    }
}
