package io.netboot4j.kerrighed.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An output stream that keeps only the last {@code limit} bytes written to it. */
public final class TailOutputStream extends OutputStream {

    private final int limit;
    private byte[] buf = new byte[8192];
    private int size;
    private boolean truncated;

    /** @param limit bytes kept */
    public TailOutputStream(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (size + len > buf.length) {
            int want = Math.max(buf.length * 2, size + len);
            if (want > limit * 2) {
                int keep = Math.max(0, Math.min(size, limit - len));
                System.arraycopy(buf, size - keep, buf, 0, keep);
                size = keep;
                truncated = true;
                if (len > limit) {
                    off += len - limit;
                    len = limit;
                }
                if (buf.length < limit * 2) {
                    buf = Arrays.copyOf(buf, limit * 2);
                }
            } else {
                buf = Arrays.copyOf(buf, want);
            }
        }
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** The kept bytes as UTF-8 text; begins with a note if earlier output was dropped. */
    public synchronized String text() {
        String s = new String(buf, 0, size, StandardCharsets.UTF_8);
        return truncated ? "[... earlier output dropped ...]\n" + s : s;
    }
}
