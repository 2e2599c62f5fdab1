package io.netboot4j.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns what the embedded NFS server recorded while a node booted (nfsroot's debug option
 * {@code netboot4j.nfs.recordCalls}: {@code <address> <status> <PROC> <path> [<offset> <bytes>] [<new path>]})
 * into a {@link WorkingSet} every simulated node can replay on its own:
 * <ul>
 *   <li>only the node's calls; the mount's own first FSINFO dropped (the simulator's mount makes it);
 *   <li>failed calls dropped, but a LOOKUP of a name that is not there (the node's search path) kept;
 *   <li>the changes of journald's persistent journal dropped ({@link #JOURNAL});
 *   <li>procedures the replay does not make (FSSTAT, PATHCONF, READDIR, SYMLINK, LINK, MKNOD, RMDIR) dropped;
 *   <li>byte ranges a node READ already dropped (the page cache had them; what is left of a READ is kept);
 *       the same call on the same path twice in a row kept once;
 *   <li>every file or folder the node changes (CREATE, MKDIR, WRITE, COMMIT, SETATTR, RENAME, REMOVE) becomes
 *       the node's own ({@code <name>.{node}}), so 1,000 nodes do not write over each other: one that was in the
 *       root before the boot is CREATEd where the node first touches it; SETATTR of the root's own entries dropped;
 *   <li>a call on an entry that is not there at that point of the replay (a link the node made, a rename across
 *       folders) dropped;
 *   <li>the layout: every entry the calls name as it was in the root before the boot (folder, link and its
 *       target, file with its size if the node READ it, else empty).
 * </ul>
 * Counts of what was dropped are written as comments at the end.
 */
public final class WorkingSetRecording {

    /**
     * journald's persistent journal: 8 MiB preallocated and ~700 WRITEs (17 MB) a boot, one file
     * per machine id. A diskless cluster keeps its journal in memory (nodes share the root, and
     * with it the machine id), so its changes are not replayed.
     */
    static final String JOURNAL = "/var/log/journal/";

    private static final Set<String> CHANGES = Set.of("CREATE", "MKDIR", "WRITE", "COMMIT", "SETATTR", "RENAME", "REMOVE");

    private record Raw(String op, String path, long offset, long bytes, String target) {
    }

    private WorkingSetRecording() {
    }

    /**
     * {@code java ... WorkingSetRecording <recorded calls> <node address> <node host name> <root before the boot>}:
     * prints the working set.
     */
    public static void main(String[] args) throws IOException {
        System.out.print(convert(Files.readAllLines(Path.of(args[0])), args[1], args[2], Path.of(args[3])));
    }

    /** The working set's text (calls, then layout, then what was dropped) from the recorded lines. */
    static String convert(List<String> recorded, String address, String node, Path rootBefore) throws IOException {
        Map<String, Integer> dropped = new TreeMap<>();
        List<Raw> raw = new ArrayList<>();
        boolean mountFsinfo = true;
        for (String line : recorded) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !f[0].equals(address)) {
                continue;
            }
            String op = f[2].toUpperCase(Locale.ROOT);
            int status = Integer.parseInt(f[1]);
            if (op.equals("FSINFO") && mountFsinfo) {
                mountFsinfo = false;
                continue;
            }
            boolean keep = status == 0 || (op.equals("LOOKUP") && status == 2);
            boolean known = switch (op) {
                case "LOOKUP", "GETATTR", "ACCESS", "FSINFO", "READ", "READLINK", "READDIRPLUS", "CREATE", "MKDIR", "WRITE",
                     "SETATTR", "COMMIT", "RENAME", "REMOVE" -> true;
                default -> false;
            };
            if (!keep || !known || line.contains("(arguments not decoded)")) {
                dropped.merge(!known ? op + " (not replayed)" : op + " failed", 1, Integer::sum);
                continue;
            }
            String path = f[3].replace(node, "{node}");
            if (path.startsWith(JOURNAL) && CHANGES.contains(op)) {
                dropped.merge(op + " of journald's persistent journal", 1, Integer::sum);
                continue;
            }
            raw.add(switch (op) {
                case "READ", "WRITE" -> new Raw(op, path, Long.parseLong(f[4]), Long.parseLong(f[5]), null);
                case "RENAME" -> new Raw(op, path, 0, 0, f[4].replace(node, "{node}"));
                default -> new Raw(op, path, 0, 0, null);
            });
        }

        Set<String> changed = new HashSet<>();
        for (Raw r : raw) {
            switch (r.op) {
                case "CREATE", "MKDIR", "WRITE", "COMMIT", "REMOVE" -> changed.add(r.path);
                case "RENAME" -> {
                    changed.add(r.path);
                    changed.add(r.target);
                }
                default -> { }
            }
        }

        List<String> calls = new ArrayList<>();
        Map<String, TreeMap<Long, Long>> readRanges = new HashMap<>();
        Set<String> there = new HashSet<>();
        Set<String> removed = new HashSet<>();
        Map<String, Long> readSize = new HashMap<>();
        String previous = "";
        for (Raw r : raw) {
            String path = own(r.path, changed);
            String line;
            if (r.op.equals("SETATTR") && !changed.contains(r.path)) {
                dropped.merge("SETATTR of the root's own entries", 1, Integer::sum);
                continue;
            }
            // a changed entry that was in the root before the boot: the node's own copy, made where it is first needed
            if (changed.contains(r.path) && !there.contains(path) && !removed.contains(path) && !r.op.equals("LOOKUP")
                    && !r.op.equals("CREATE") && !r.op.equals("MKDIR") && exists(rootBefore, r.path)) {
                if (!isThere(WorkingSetReplay.parent(path), there, removed, rootBefore, changed)) {
                    dropped.merge(r.op + " of an entry in a folder that is not there", 1, Integer::sum);
                    continue;
                }
                calls.add((Files.isDirectory(rootBefore.resolve(r.path.substring(1)), LinkOption.NOFOLLOW_LINKS) ? "MKDIR " : "CREATE ") + path);
                there.add(path);
            }
            boolean makes = r.op.equals("CREATE") || r.op.equals("MKDIR");
            String checked = makes || r.op.equals("LOOKUP") ? WorkingSetReplay.parent(path) : path;
            if (!isThere(checked, there, removed, rootBefore, changed)) {
                dropped.merge(r.op + " of an entry that is not there", 1, Integer::sum);
                continue;
            }
            switch (r.op) {
                case "READ" -> {
                    List<long[]> parts = unread(readRanges.computeIfAbsent(path, p -> new TreeMap<>()), r.offset, r.bytes);
                    if (parts.isEmpty()) {
                        dropped.merge("READ of bytes read before", 1, Integer::sum);
                    }
                    for (long[] part : parts) {
                        calls.add("READ " + path + " " + part[0] + " " + part[1]);
                    }
                    readSize.merge(r.path, r.offset + r.bytes, Math::max);
                    previous = "";
                    continue;
                }
                case "RENAME" -> {
                    String target = own(r.target, changed);
                    if (!WorkingSetReplay.parent(path).equals(WorkingSetReplay.parent(target))) {
                        dropped.merge("RENAME across folders", 1, Integer::sum);
                        continue;
                    }
                    line = "RENAME " + path + " " + target;
                    there.remove(path);
                    removed.add(path);
                    there.add(target);
                    removed.remove(target);
                }
                case "WRITE" -> line = "WRITE " + path + " " + r.offset + " " + r.bytes;
                case "REMOVE" -> {
                    line = "REMOVE " + path;
                    there.remove(path);
                    removed.add(path);
                }
                default -> {
                    line = r.op + " " + path;
                    if (makes) {
                        there.add(path);
                        removed.remove(path);
                    }
                }
            }
            if (line.equals(previous) && !r.op.equals("WRITE")) {
                dropped.merge(r.op + " repeated", 1, Integer::sum);
                continue;
            }
            calls.add(line);
            previous = line;
        }

        StringBuilder b = new StringBuilder();
        calls.forEach(c -> b.append(c).append('\n'));
        b.append("# the entries the calls need, as they were in the root before the boot\n");
        for (String entry : layout(raw, changed, rootBefore, readSize)) {
            b.append(entry).append('\n');
        }
        b.append("# dropped while converting the recording:");
        dropped.forEach((why, n) -> b.append(' ').append(why).append(' ').append(n).append(';'));
        return b.append('\n').toString();
    }

    /** The node's own name of a path it changes (and of every path below one). */
    private static String own(String path, Set<String> changed) {
        StringBuilder b = new StringBuilder();
        String[] parts = path.split("/");
        String original = "";
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            original += "/" + part;
            b.append('/').append(part);
            if (changed.contains(original) && !part.contains("{node}")) {
                b.append(".{node}");
            }
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    private static boolean exists(Path root, String path) {
        return path.equals("/") || Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code path} (the node's name) is there at this point of the replay. */
    private static boolean isThere(String path, Set<String> there, Set<String> removed, Path root, Set<String> changed) {
        if (there.contains(path)) {
            return true;
        }
        if (removed.contains(path) || path.contains("{node}")) {
            return false;
        }
        return exists(root, path);
    }

    /** The parts of [offset, offset + bytes) not in {@code ranges} (start to end), which then holds them. */
    private static List<long[]> unread(TreeMap<Long, Long> ranges, long offset, long bytes) {
        List<long[]> parts = new ArrayList<>();
        long at = offset;
        long end = offset + bytes;
        while (at < end) {
            var before = ranges.floorEntry(at);
            if (before != null && before.getValue() > at) {
                at = before.getValue();
                continue;
            }
            var next = ranges.ceilingEntry(at);
            long stop = next == null ? end : Math.min(end, next.getKey());
            parts.add(new long[] {at, stop - at});
            at = stop;
        }
        if (bytes > 0) {
            ranges.put(offset, Math.max(end, ranges.getOrDefault(offset, 0L)));
            // merge overlapping ranges so the map stays small
            TreeMap<Long, Long> merged = new TreeMap<>();
            for (var e : ranges.entrySet()) {
                var last = merged.lastEntry();
                if (last != null && e.getKey() <= last.getValue()) {
                    merged.put(last.getKey(), Math.max(last.getValue(), e.getValue()));
                } else {
                    merged.put(e.getKey(), e.getValue());
                }
            }
            ranges.clear();
            ranges.putAll(merged);
        }
        return parts;
    }

    /** DIR, LINK and FILE lines for every entry of the root (before the boot) the calls name, and their folders. */
    private static List<String> layout(List<Raw> raw, Set<String> changed, Path root, Map<String, Long> readSize) throws IOException {
        Set<String> paths = new TreeSet<>();
        for (Raw r : raw) {
            for (String p : new String[] {r.path, r.target}) {
                for (String q = p; q != null && !q.equals("/"); q = WorkingSetReplay.parent(q)) {
                    if (!changed.contains(q) && !q.contains("{node}")) {
                        paths.add(q);
                    }
                }
            }
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String p : paths) {
            Path at = root.resolve(p.substring(1));
            if (Files.isSymbolicLink(at)) {
                entries.put(p, "LINK " + p + " " + Files.readSymbolicLink(at));
            } else if (Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                entries.put(p, "DIR " + p);
            } else if (Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                long size = Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS) && readSize.containsKey(p) ? Files.size(at) : 0;
                entries.put(p, "FILE " + p + " " + size);
            }
        }
        return List.copyOf(entries.values());
    }
}
