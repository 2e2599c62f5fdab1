package io.netboot4j.core.internal;

import io.netboot4j.core.Hostname;
import io.netboot4j.core.NodeState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status feed between head nodes: one UDP datagram of UTF-8 text carries node rows of
 * one head. Pure codec; every row is absolute (the node's state, not a change), so a lost or
 * repeated datagram does no harm: the next one carries the state again.
 *
 * <pre>
 * NB4J-STATUS 1 &lt;cluster&gt; &lt;head&gt; &lt;sent epoch ms&gt;
 * &lt;node&gt; &lt;STATE&gt; &lt;since epoch ms&gt; &lt;last event epoch ms or -&gt; &lt;last event, rest of line&gt;
 * ...
 * </pre>
 */
public final class StatusFeed {

    /** The first two words of every datagram. */
    public static final String MAGIC = "NB4J-STATUS 1";
    /** Bytes per datagram at most (fits an Ethernet frame). */
    public static final int MAX_DATAGRAM = 1400;
    /** Characters of an event description at most. */
    public static final int MAX_DESCRIPTION = 160;

    private StatusFeed() {
    }

    /**
     * One node's state as a head sees it.
     *
     * @param node the node's host name
     * @param state its state
     * @param since when it entered that state
     * @param lastEventTime when its last event happened, if it had one
     * @param lastEvent the last event's description, or empty
     */
    public record Row(String node, NodeState state, Instant since, Optional<Instant> lastEventTime, String lastEvent) {

        /** Cuts the description to one line of at most {@link #MAX_DESCRIPTION} characters. */
        public Row {
            lastEvent = clean(lastEvent);
        }
    }

    /**
     * A decoded datagram.
     *
     * @param cluster the cluster's name
     * @param head the sending head's name
     * @param sent when the head sent it
     * @param rows its rows
     */
    public record Report(String cluster, String head, Instant sent, List<Row> rows) {
    }

    /** The datagrams that carry {@code rows}, each within {@link #MAX_DATAGRAM} bytes. */
    public static List<byte[]> encode(String cluster, String head, Instant sent, List<Row> rows) {
        String header = MAGIC + " " + cluster + " " + head + " " + sent.toEpochMilli() + "\n";
        List<byte[]> out = new ArrayList<>();
        StringBuilder b = new StringBuilder(header);
        int size = utf8(header);
        for (Row r : rows) {
            String line = r.node() + " " + r.state() + " " + r.since().toEpochMilli() + " "
                    + r.lastEventTime().map(t -> Long.toString(t.toEpochMilli())).orElse("-") + " " + r.lastEvent() + "\n";
            int n = utf8(line);
            if (size + n > MAX_DATAGRAM && b.length() > header.length()) {
                out.add(b.toString().getBytes(StandardCharsets.UTF_8));
                b.setLength(0);
                b.append(header);
                size = utf8(header);
            }
            b.append(line);
            size += n;
        }
        if (b.length() > header.length() || out.isEmpty()) {
            out.add(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The report in {@code data[0..length)}, or empty if anything in it is malformed. */
    public static Optional<Report> decode(byte[] data, int length) {
        try {
            String[] lines = new String(data, 0, length, StandardCharsets.UTF_8).split("\n", -1);
            String[] h = lines[0].split(" ", -1);
            if (h.length != 5 || !(h[0] + " " + h[1]).equals(MAGIC) || !Hostname.isValid(h[2]) || !Hostname.isValid(h[3])) {
                return Optional.empty();
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty() && i == lines.length - 1) {
                    break;
                }
                String[] f = lines[i].split(" ", 5);
                if (f.length != 5 || !Hostname.isValid(f[0]) || f[4].length() > MAX_DESCRIPTION) {
                    return Optional.empty();
                }
                Optional<Instant> last = f[3].equals("-") ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(f[3])));
                rows.add(new Row(f[0], NodeState.valueOf(f[1]), Instant.ofEpochMilli(Long.parseLong(f[2])), last, f[4]));
            }
            return Optional.of(new Report(h[2], h[3], Instant.ofEpochMilli(Long.parseLong(h[4])), rows));
        } catch (RuntimeException e) { // NumberFormatException, IllegalArgumentException of valueOf, DateTimeException
            return Optional.empty();
        }
    }

    private static String clean(String text) {
        String one = text == null ? "" : text.replaceAll("\\p{Cntrl}", " ");
        return one.length() <= MAX_DESCRIPTION ? one : one.substring(0, MAX_DESCRIPTION);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
