package io.netboot4j.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The NFS calls a node makes while it boots, recorded once from a real boot and replayed
 * by every simulated node ({@link WorkingSetReplay}). One call a line:
 * {@code OP path [offset count]} or {@code RENAME from to}; paths are relative to the
 * export's root ({@code /} is the root); {@code {node}} stands for the node's host name;
 * {@code #} starts a comment. A set recorded from a root the test does not have also lists
 * the entries its calls need ({@code DIR path}, {@code FILE path size}, {@code LINK path target}),
 * which {@link #createIn} lays out in the exported folder before the storm.
 *
 * @param calls the calls in the order they were made
 * @param layout the folders, files and links the calls need (empty: the root has them)
 */
public record WorkingSet(List<Call> calls, List<Entry> layout) {

    /** The procedures replayed. */
    public enum Op { LOOKUP, GETATTR, ACCESS, FSINFO, READ, READLINK, READDIRPLUS, CREATE, MKDIR, WRITE, SETATTR, COMMIT, RENAME, REMOVE }

    /** What a layout entry is. */
    public enum Kind { DIR, FILE, LINK }

    /**
     * One entry the calls need.
     *
     * @param kind folder, regular file or symbolic link
     * @param path where, relative to the export's root
     * @param size a file's size (its content is made up: the replay compares READs with the exported file)
     * @param target a link's target
     */
    public record Entry(Kind kind, String path, long size, String target) {
    }

    /**
     * One call.
     *
     * @param op the procedure
     * @param path the object (for LOOKUP the name looked up, with its directory)
     * @param offset for READ and WRITE
     * @param count for READ and WRITE
     * @param target for RENAME: the new path
     */
    public record Call(Op op, String path, long offset, int count, String target) {
        /** The call with {@code {node}} replaced by {@code node}. */
        public Call forNode(String node) {
            return new Call(op, path.replace("{node}", node), offset, count, target == null ? null : target.replace("{node}", node));
        }
    }

    /** The working set of a busybox-root boot shipped with the testkit ({@code storm/working-set.txt}). */
    public static WorkingSet recorded() {
        return resource("working-set.txt");
    }

    /** The working set of a Debian (systemd) root's boot shipped with the testkit ({@code storm/working-set-debian.txt}). */
    public static WorkingSet debianBoot() {
        return resource("working-set-debian.txt");
    }

    private static WorkingSet resource(String name) {
        try (InputStream in = WorkingSet.class.getResourceAsStream("/io/netboot4j/testkit/storm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the testkit's recorded working set " + name + " is missing from its jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException naming the line that is malformed
     */
    public static WorkingSet parse(InputStream in) throws IOException {
        List<Call> calls = new ArrayList<>();
        List<Entry> layout = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null;) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            try {
                String word = f[0].toUpperCase(Locale.ROOT);
                if (word.equals("DIR") || word.equals("FILE") || word.equals("LINK")) {
                    Kind kind = Kind.valueOf(word);
                    layout.add(new Entry(kind, f[1], kind == Kind.FILE ? Long.parseLong(f[2]) : 0, kind == Kind.LINK ? f[2] : null));
                    continue;
                }
                Op op = Op.valueOf(word);
                calls.add(switch (op) {
                    case READ, WRITE -> new Call(op, f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), null);
                    case RENAME -> new Call(op, f[1], 0, 0, f[2]);
                    default -> new Call(op, f[1], 0, 0, null);
                });
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("working set line " + lineNo + " is malformed: '" + t + "'", e);
            }
        }
        return new WorkingSet(List.copyOf(calls), List.copyOf(layout));
    }

    /**
     * Lays out the {@linkplain #layout() entries} the calls need in {@code root}: folders,
     * files of their size (made-up content), links. Entries already there are kept.
     *
     * @throws IOException if one cannot be made, or {@code root} has an entry of another kind at its path
     */
    public void createIn(Path root) throws IOException {
        for (Entry e : layout) {
            Path at = root.resolve(e.path().substring(1));
            if (!at.normalize().startsWith(root.normalize())) {
                throw new IOException("working set entry " + e.path() + " is outside the root");
            }
            boolean isLink = Files.isSymbolicLink(at);
            if (isLink || Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                boolean same = switch (e.kind()) {
                    case LINK -> isLink;
                    case DIR -> !isLink && Files.isDirectory(at);
                    case FILE -> !isLink && Files.isRegularFile(at);
                };
                if (!same) {
                    throw new IOException(root + " has " + e.path() + " of another kind than the working set's " + e.kind()
                            + ": lay the set out in an empty folder");
                }
                continue;
            }
            Files.createDirectories(at.getParent());
            switch (e.kind()) {
                case DIR -> Files.createDirectories(at);
                case LINK -> Files.createSymbolicLink(at, Path.of(e.target()));
                case FILE -> Files.write(at, content(e.path(), e.size()));
            }
        }
    }

    /** Made-up content of a laid-out file: not all zeros, different per file. */
    private static byte[] content(String path, long size) {
        byte[] b = new byte[Math.toIntExact(size)];
        CRC32C crc = new CRC32C();
        crc.update(path.getBytes(StandardCharsets.UTF_8));
        long x = crc.getValue() | 1;
        for (int i = 0; i < b.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }
}
