package io.netboot4j.nfsroot.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes XDR (RFC 4506) into a growing byte array. */
public final class XdrOut {

    private byte[] buf;
    private int pos;
    private ByteBuffer tail;

    public XdrOut() {
        this(256);
    }

    public XdrOut(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public XdrOut writeInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public XdrOut writeLong(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    public XdrOut writeBoolean(boolean b) {
        return writeInt(b ? 1 : 0);
    }

    /** Fixed-length opaque, padded to four bytes. */
    public XdrOut writeFixed(byte[] b) {
        return writeFixed(b, 0, b.length);
    }

    public XdrOut writeFixed(byte[] b, int off, int len) {
        int padded = (len + 3) & ~3;
        ensure(padded);
        System.arraycopy(b, off, buf, pos, len);
        Arrays.fill(buf, pos + len, pos + padded, (byte) 0);
        pos += padded;
        return this;
    }

    public XdrOut writeOpaque(byte[] b) {
        writeInt(b.length);
        return writeFixed(b);
    }

    public XdrOut writeString(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reserves room for a variable-length opaque of up to {@code max} bytes and returns a
     * buffer to fill; {@link #commitOpaque(int, int)} then writes its length and padding.
     */
    public ByteBuffer reserveOpaque(int max) {
        ensure(4 + max + 3);
        return ByteBuffer.wrap(buf, pos + 4, max).slice();
    }

    /** Completes {@link #reserveOpaque(int)} with the {@code length} bytes actually filled. */
    public XdrOut commitOpaque(int length, int max) {
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("length " + length);
        }
        int start = pos;
        writeInt(length);
        int padded = (length + 3) & ~3;
        Arrays.fill(buf, start + 4 + length, start + 4 + padded, (byte) 0);
        pos = start + 4 + padded;
        return this;
    }

    /** Overwrites the int at byte {@code at}. */
    public void setInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** Empties the buffer. */
    public void reset() {
        pos = 0;
    }

    /** Drops what was written after the first {@code size} bytes (and a data tail). */
    public void truncate(int size) {
        if (size < 0 || size > pos) {
            throw new IllegalArgumentException("size " + size);
        }
        pos = size;
        if (tail != null) {
            DirectBuffers.release(tail);
            tail = null;
        }
    }

    public int size() {
        return pos;
    }

    /** The backing array; valid up to {@link #size()}. */
    public byte[] array() {
        return buf;
    }

    /**
     * Ends the message with a variable-length opaque holding the remaining bytes of
     * {@code data} (a buffer of {@link DirectBuffers}), sent without copying it into this
     * buffer. Nothing may be written after it.
     */
    public XdrOut dataTail(ByteBuffer data) {
        this.tail = data;
        return this;
    }

    public boolean hasDataTail() {
        return tail != null;
    }

    /** The data tail, or null. */
    public ByteBuffer dataTail() {
        return tail;
    }

    /** The whole message, including a data tail. */
    public byte[] toByteArray() {
        if (tail == null) {
            return Arrays.copyOf(buf, pos);
        }
        int length = tail.remaining();
        int padded = (length + 3) & ~3;
        byte[] all = Arrays.copyOf(buf, pos + 4 + padded);
        ByteBuffer.wrap(all, pos, 4).putInt(length);
        tail.duplicate().get(all, pos + 4, length);
        return all;
    }
}
