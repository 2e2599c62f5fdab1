package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.Ipv4;
import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MOUNT version 3 program (RFC 1813 appendix I): NULL, MNT, DUMP, UMNT, UMNTALL,
 * EXPORT, over the server's exports ({@link ExportTable}). MNT finds the export whose
 * folder is the path or holds it (as Linux mountd does), checks that export's client rules
 * and the {@code secure} option, and answers a handle of that export; EXPORT lists every
 * export with its clients.
 */
public final class Mount3 {

    private static final Logger LOG = LoggerFactory.getLogger(Mount3.class);

    public static final int PROGRAM = 100005;
    public static final int VERSION = 3;
    public static final int NULL = 0, MNT = 1, DUMP = 2, UMNT = 3, UMNTALL = 4, EXPORT = 5;
    public static final List<String> NAMES = List.of("NULL", "MNT", "DUMP", "UMNT", "UMNTALL", "EXPORT");

    public static final int MNT3_OK = 0, MNT3ERR_PERM = 1, MNT3ERR_NOENT = 2, MNT3ERR_IO = 5, MNT3ERR_ACCES = 13,
            MNT3ERR_NOTDIR = 20, MNT3ERR_INVAL = 22, MNT3ERR_NAMETOOLONG = 63;
    private static final int AUTH_UNIX = 1;
    private static final int MNTPATHLEN = 1024;

    private final ExportTable exports;

    /** The MOUNT program of one export. */
    public Mount3(ExportState export) {
        this(new ExportTable(export));
    }

    /** The MOUNT program of every export of {@code exports}. */
    public Mount3(ExportTable exports) {
        this.exports = exports;
    }

    /** Answers one call; throws GarbageArgsException if the arguments cannot be decoded. */
    public XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException {
        XdrOut out = new XdrOut();
        switch (proc) {
            case NULL -> { }
            case MNT -> mnt(in, caller, out);
            case DUMP -> {
                for (ExportState export : exports.states()) {
                    for (Map.Entry<Inet4Address, List<String>> e : export.mountTable().entrySet()) {
                        for (String dir : e.getValue()) {
                            out.writeBoolean(true);
                            out.writeString(Ipv4.format(e.getKey()));
                            out.writeString(dir);
                        }
                    }
                }
                out.writeBoolean(false);
            }
            case UMNT -> {
                String path = normalize(in.readString(MNTPATHLEN));
                ExportState export = exports.forPath(path);
                if (export != null && export.rule(caller.address()) != null) {
                    export.unmounted(caller.address(), path);
                }
            }
            case UMNTALL -> {
                List<ExportState> mounted = exports.states().stream()
                        .filter(e -> e.mountTable().containsKey(caller.address()) && e.rule(caller.address()) != null).toList();
                ExportState primary = exports.primary();
                for (ExportState export : mounted.isEmpty() && primary.rule(caller.address()) != null ? List.of(primary) : mounted) {
                    export.unmountedAll(caller.address());
                }
            }
            case EXPORT -> {
                for (ExportState export : exports.states()) {
                    out.writeBoolean(true);
                    out.writeString(export.exportPath());
                    for (ExportRule r : export.rules()) {
                        out.writeBoolean(true);
                        out.writeString(r.client());
                    }
                    out.writeBoolean(false);
                }
                out.writeBoolean(false);
            }
            default -> throw new IllegalArgumentException("procedure " + proc);
        }
        return out;
    }

    private static String normalize(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private void mnt(XdrIn in, Caller caller, XdrOut out) throws GarbageArgsException {
        String raw = in.readString(MNTPATHLEN);
        String path = normalize(raw);
        ExportState found = exports.forPath(path);
        ExportState export = found == null ? exports.primary() : found;
        ExportRule rule = export.rule(caller.address());
        if (rule == null) {
            export.countDenied();
            LOG.warn("refused mount of {} by {}: no export rule admits this client", raw, Ipv4.format(caller.address()));
            out.writeInt(MNT3ERR_ACCES);
            return;
        }
        if (rule.secure() && !caller.reservedPort()) {
            export.countDenied();
            LOG.warn("refused mount of {} by {}:{}: the export is 'secure' and the source port is not reserved",
                    raw, Ipv4.format(caller.address()), caller.port());
            out.writeInt(MNT3ERR_PERM);
            return;
        }
        if (found == null) {
            out.writeInt(MNT3ERR_NOENT);
            return;
        }
        String root = export.exportPath();
        try {
            Path p = export.root();
            Stat s = Posix.lstat(p);
            export.index().remember(s, p);
            if (path.length() > root.length()) {
                for (String part : path.substring(root.length()).split("/")) {
                    if (part.isEmpty() || part.equals(".")) {
                        continue;
                    }
                    if (part.equals("..")) {
                        out.writeInt(MNT3ERR_INVAL);
                        return;
                    }
                    p = p.resolve(part);
                    s = Posix.lstat(p);
                    if (!s.isDirectory()) {
                        out.writeInt(MNT3ERR_NOTDIR); // also refuses symbolic links, which could lead outside
                        return;
                    }
                    export.index().remember(s, p);
                }
            }
            if (!s.isDirectory()) {
                out.writeInt(MNT3ERR_NOTDIR);
                return;
            }
            out.writeInt(MNT3_OK);
            out.writeOpaque(export.handle(s));
            out.writeInt(1);
            out.writeInt(AUTH_UNIX);
            export.mounted(caller.address(), path);
        } catch (java.nio.file.NoSuchFileException e) {
            out.writeInt(MNT3ERR_NOENT);
        } catch (IOException e) {
            out.writeInt(MNT3ERR_IO);
        }
    }
}
