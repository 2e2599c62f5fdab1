package io.netboot4j.kerrighed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** Reads a stream to its end, keeping only its last {@code limit} characters. */
public final class OutputTail {

    private final int limit;
    private final StringBuilder text = new StringBuilder();
    private boolean truncated;

    /** @param limit characters kept */
    public OutputTail(int limit) {
        this.limit = limit;
    }

    /** Reads {@code in} to its end (closing it). */
    public void readFrom(InputStream in) throws IOException {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            int n;
            while ((n = r.read(buf)) >= 0) {
                append(buf, n);
            }
        }
    }

    /** Appends {@code n} characters of {@code buf}. */
    public synchronized void append(char[] buf, int n) {
        text.append(buf, 0, n);
        if (text.length() > limit * 2) {
            trim();
        }
    }

    private void trim() {
        if (text.length() > limit) {
            text.delete(0, text.length() - limit);
            int nl = text.indexOf("\n");
            if (nl >= 0 && nl < 4096) {
                text.delete(0, nl + 1);
            }
            truncated = true;
        }
    }

    /** The kept text; begins with a note if earlier text was dropped. */
    public synchronized String text() {
        trim();
        return truncated ? "[... earlier output dropped ...]\n" + text : text.toString();
    }
}
