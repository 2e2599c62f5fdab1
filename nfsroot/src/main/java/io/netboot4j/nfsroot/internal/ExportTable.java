package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exports of one embedded server (the cluster's root and each node group's own), each
 * with its own {@link ExportState}: its folder, rules, file index and handles. A file handle
 * carries the export id of the export that made it ({@link FileHandles}, covered by its tag),
 * so an NFS call goes to that export and is resolved under that export's folder only: a
 * handle of one export never names a file of another. The table is replaced whole on a live
 * change; a call under way keeps the export it was routed to.
 */
public final class ExportTable {

    /** The bytes before the export id in an NFS call's first argument: the handle's length, then version and flags. */
    private static final int EXPORT_ID_OFFSET = 8;

    /** One export: its state and the NFS program answering for it. */
    public record Export(ExportState state, Nfs3 nfs) {
    }

    private final Export primary;
    private volatile Map<Integer, Export> byId;

    /** A table of {@code primary} (the cluster's root, whose counters the transport uses) alone. */
    public ExportTable(ExportState primary) {
        this.primary = new Export(primary, new Nfs3(primary));
        this.byId = Map.of(primary.handles().exportId(), this.primary);
    }

    /** The cluster's root export. */
    public ExportState primary() {
        return primary.state();
    }

    /** Every export, the primary first. */
    public List<ExportState> states() {
        return byId.values().stream().map(Export::state).sorted((a, b) -> a == primary.state() ? -1 : b == primary.state() ? 1
                : a.exportPath().compareTo(b.exportPath())).toList();
    }

    /**
     * Replaces the exports besides the primary with {@code others} (a live change); states not
     * among them stay open for calls under way and are the caller's to close.
     *
     * @throws IllegalArgumentException if two exports have the same export id (nothing is replaced)
     */
    public synchronized void replaceOthers(List<ExportState> others) {
        Map<Integer, Export> next = new LinkedHashMap<>();
        next.put(primary.state().handles().exportId(), primary);
        Map<Integer, Export> now = byId;
        for (ExportState s : others) {
            int id = s.handles().exportId();
            Export taken = next.get(id);
            if (taken != null) {
                // 32 bits of SHA-256 of two paths alike: once in four billion pairs, but handles must stay apart
                throw new IllegalArgumentException("the exports " + taken.state().exportPath() + " and " + s.exportPath()
                        + " have the same export id; rename one of the folders");
            }
            Export kept = now.get(id);
            next.put(id, kept != null && kept.state() == s ? kept : new Export(s, new Nfs3(s)));
        }
        byId = Map.copyOf(next);
    }

    /** The export whose folder is {@code path} or holds it ({@code path} normalized, no trailing slash), or null. */
    public ExportState forPath(String path) {
        for (Export e : byId.values()) {
            String root = e.state().exportPath();
            if (path.equals(root) || path.startsWith(root.endsWith("/") ? root : root + "/")) {
                return e.state();
            }
        }
        return null;
    }

    /**
     * Answers an NFS call through the export named by the export id in its first file handle
     * (NULL and unknown ids through the primary, whose handle check then refuses the handle).
     */
    public XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException {
        Export e = proc == Nfs3.NULL ? primary : byId.getOrDefault(in.peekInt(EXPORT_ID_OFFSET, 0), primary);
        return e.nfs().call(proc, in, caller);
    }
}
