package io.netboot4j.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code Range: bytes=...} header resolved against a file's size (RFC 9110 section 14).
 *
 * <p>A header that is not a valid {@code bytes} range set is ignored (the whole file is
 * sent), as the RFC allows and nginx does. So is a set of more than {@link #MAX_RANGES}
 * ranges, or one whose ranges overlap: many small or overlapping ranges cost the server far
 * more than the file (the "Apache Killer" of 2011), and no boot client asks for them.
 */
public final class ByteRanges {

    /** The most ranges one request may ask for. */
    public static final int MAX_RANGES = 16;

    /** One satisfiable range, both ends inclusive. */
    public record Range(long first, long last) {
        /** Its length in bytes. */
        public long length() {
            return last - first + 1;
        }

        /** {@code bytes 0-99/1000}. */
        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** What a {@code Range} header asks: the whole file, some ranges, or nothing satisfiable. */
    public sealed interface Outcome {
        /** Send the whole file (no header, or one to ignore). */
        record Whole() implements Outcome {
        }

        /** Send these ranges, in the order asked (one: 206 with Content-Range; more: multipart/byteranges). */
        record Partial(List<Range> ranges) implements Outcome {
        }

        /** No range is satisfiable: 416. */
        record Unsatisfiable() implements Outcome {
        }
    }

    private ByteRanges() {
    }

    /**
     * Resolves {@code header} against a file of {@code size} bytes.
     *
     * @param header the {@code Range} header's value, or empty
     */
    public static Outcome resolve(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Outcome.Whole();
        }
        String h = header.get().strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return new Outcome.Whole();
        }
        String[] specs = h.substring(eq + 1).split(",", -1);
        if (specs.length > MAX_RANGES) {
            return new Outcome.Whole();
        }
        List<Range> out = new ArrayList<>();
        int asked = 0;
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue; // RFC 9110 allows empty list elements
            }
            asked++;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return new Outcome.Whole();
            }
            String a = spec.substring(0, dash).strip();
            String b = spec.substring(dash + 1).strip();
            long first;
            long last;
            if (a.isEmpty()) {
                long suffix = number(b);
                if (suffix < 0) {
                    return new Outcome.Whole();
                }
                if (suffix == 0 || size == 0) {
                    continue; // unsatisfiable
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = number(a);
                last = b.isEmpty() ? Long.MAX_VALUE : number(b);
                if (first < 0 || last < 0 || last < first) {
                    return new Outcome.Whole();
                }
                if (first >= size) {
                    continue; // unsatisfiable
                }
                last = Math.min(last, size - 1);
            }
            out.add(new Range(first, last));
        }
        if (asked == 0) {
            return new Outcome.Whole();
        }
        if (out.isEmpty()) {
            return new Outcome.Unsatisfiable();
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                Range x = out.get(i);
                Range y = out.get(j);
                if (x.first() <= y.last() && y.first() <= x.last()) {
                    return new Outcome.Whole();
                }
            }
        }
        return new Outcome.Partial(List.copyOf(out));
    }

    /** A non-negative decimal number, or -1 if the text is not one (or overflows). */
    private static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
