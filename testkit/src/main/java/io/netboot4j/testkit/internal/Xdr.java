package io.netboot4j.testkit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * XDR (RFC 4506) encoding and decoding of the few types ONC RPC calls of a booting NFS
 * client need: integers, hypers, opaque data and strings, each padded to four bytes.
 * Writing grows the buffer; reading throws {@link java.nio.BufferUnderflowException} on a
 * short reply.
 */
public final class Xdr {

    private ByteBuffer buf;

    private Xdr(ByteBuffer buf) {
        this.buf = buf;
    }

    /** An empty encoder. */
    public static Xdr writer() {
        return new Xdr(ByteBuffer.allocate(256));
    }

    /** A decoder of {@code data}. */
    public static Xdr reader(byte[] data) {
        return new Xdr(ByteBuffer.wrap(data));
    }

    /** Appends an unsigned or signed 32-bit integer. */
    public Xdr putInt(int v) {
        room(4).putInt(v);
        return this;
    }

    /** Appends a 64-bit integer. */
    public Xdr putLong(long v) {
        room(8).putLong(v);
        return this;
    }

    /** Appends variable-length opaque data: length, bytes, padding. */
    public Xdr putOpaque(byte[] b) {
        putInt(b.length);
        return putFixed(b);
    }

    /** Appends fixed-length opaque data with padding. */
    public Xdr putFixed(byte[] b) {
        room(b.length + pad(b.length)).put(b).put(new byte[pad(b.length)]);
        return this;
    }

    /** Appends a string (ASCII/UTF-8 bytes as opaque data). */
    public Xdr putString(String s) {
        return putOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The encoded bytes. */
    public byte[] bytes() {
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** Reads a 32-bit integer. */
    public int getInt() {
        return buf.getInt();
    }

    /** The next 32-bit integer, not consumed. */
    public int peekInt() {
        return buf.getInt(buf.position());
    }

    /** Reads a 64-bit integer. */
    public long getLong() {
        return buf.getLong();
    }

    /** Reads a boolean. */
    public boolean getBoolean() {
        return buf.getInt() != 0;
    }

    /** Reads variable-length opaque data. */
    public byte[] getOpaque() {
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] b = new byte[n];
        buf.get(b);
        skip(pad(n));
        return b;
    }

    /** Reads a string. */
    public String getString() {
        return new String(getOpaque(), StandardCharsets.UTF_8);
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) {
        buf.position(buf.position() + n);
    }

    /** Bytes left to read. */
    public int remaining() {
        return buf.remaining();
    }

    private static int pad(int n) {
        return (4 - (n & 3)) & 3;
    }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }
}
