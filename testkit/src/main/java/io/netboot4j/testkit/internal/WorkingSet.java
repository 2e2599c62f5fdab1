package io.netboot4j.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The NFS calls a node makes while it boots, recorded once from a real boot and replayed
 * by every simulated node ({@link WorkingSetReplay}). One call a line:
 * {@code OP path [offset count]} or {@code RENAME from to}; paths are relative to the
 * export's root ({@code /} is the root); {@code {node}} stands for the node's host name;
 * {@code #} starts a comment.
 *
 * @param calls the calls in the order they were made
 */
public record WorkingSet(List<Call> calls) {

    /** The procedures replayed. */
    public enum Op { LOOKUP, GETATTR, ACCESS, FSINFO, READ, READLINK, CREATE, MKDIR, WRITE, SETATTR, COMMIT, RENAME, REMOVE }

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

    /** The working set shipped with the testkit ({@code storm/working-set.txt}). */
    public static WorkingSet recorded() {
        try (InputStream in = WorkingSet.class.getResourceAsStream("/io/netboot4j/testkit/storm/working-set.txt")) {
            if (in == null) {
                throw new IllegalStateException("the testkit's recorded working set is missing from its jar");
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
                Op op = Op.valueOf(f[0].toUpperCase(Locale.ROOT));
                calls.add(switch (op) {
                    case READ, WRITE -> new Call(op, f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), null);
                    case RENAME -> new Call(op, f[1], 0, 0, f[2]);
                    default -> new Call(op, f[1], 0, 0, null);
                });
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("working set line " + lineNo + " is malformed: '" + t + "'", e);
            }
        }
        return new WorkingSet(List.copyOf(calls));
    }
}
