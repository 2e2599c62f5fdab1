package io.netboot4j.nfsroot.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads XDR (RFC 4506) from untrusted bytes: every length is checked against what is
 * left before anything is allocated, so a malformed record fails with
 * {@link GarbageArgsException} and never with an allocation of its claimed size.
 */
public final class XdrIn {

    /** The arguments could not be decoded: the server answers GARBAGE_ARGS. */
    public static final class GarbageArgsException extends Exception {
        GarbageArgsException(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteBuffer buf;

    public XdrIn(ByteBuffer buf) {
        this.buf = buf;
    }

    public XdrIn(byte[] bytes) {
        this(ByteBuffer.wrap(bytes));
    }

    /** A reader of the same bytes from the current position, with a position of its own. */
    public XdrIn duplicate() {
        return new XdrIn(buf.duplicate());
    }

    public int remaining() {
        return buf.remaining();
    }

    /** The int {@code offset} bytes ahead, without reading it; {@code otherwise} if the record is shorter. */
    public int peekInt(int offset, int otherwise) {
        return offset >= 0 && buf.remaining() >= offset + 4 ? buf.getInt(buf.position() + offset) : otherwise;
    }

    private void need(long n) throws GarbageArgsException {
        if (n < 0 || n > buf.remaining()) {
            throw new GarbageArgsException("XDR record too short: need " + n + " bytes, have " + buf.remaining());
        }
    }

    public int readInt() throws GarbageArgsException {
        need(4);
        return buf.getInt();
    }

    public long readLong() throws GarbageArgsException {
        need(8);
        return buf.getLong();
    }

    public boolean readBoolean() throws GarbageArgsException {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new GarbageArgsException("XDR boolean " + v + " is neither 0 nor 1");
        }
        return v == 1;
    }

    /** Fixed-length opaque of {@code n} bytes plus padding. */
    public byte[] readFixed(int n) throws GarbageArgsException {
        int padded = (n + 3) & ~3;
        need(padded);
        byte[] b = new byte[n];
        buf.get(b);
        buf.position(buf.position() + padded - n);
        return b;
    }

    /** Variable-length opaque of at most {@code max} bytes. */
    public byte[] readOpaque(int max) throws GarbageArgsException {
        int n = readInt();
        if (n < 0 || n > max) {
            throw new GarbageArgsException("XDR opaque of " + Integer.toUnsignedString(n) + " bytes exceeds " + max);
        }
        return readFixed(n);
    }

    /** Variable-length opaque as a view of the record (no copy). */
    public ByteBuffer readOpaqueView(int max) throws GarbageArgsException {
        int n = readInt();
        if (n < 0 || n > max) {
            throw new GarbageArgsException("XDR opaque of " + Integer.toUnsignedString(n) + " bytes exceeds " + max);
        }
        int padded = (n + 3) & ~3;
        need(padded);
        ByteBuffer view = buf.slice(buf.position(), n);
        buf.position(buf.position() + padded);
        return view;
    }

    /** A string of at most {@code max} bytes, decoded as UTF-8. */
    public String readString(int max) throws GarbageArgsException {
        return new String(readOpaque(max), StandardCharsets.UTF_8);
    }
}
