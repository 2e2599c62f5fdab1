package io.netboot4j.tftp.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * TFTP packets as values, and their pure encoding and decoding.
 *
 * <p>Requests and errors are framed and decoded here in one pass (opcode high byte,
 * NUL-terminated strings, transfer mode, options); the hot path (DATA, ACK, OACK) is encoded
 * and decoded in place, into a reused array, without a packet object. No library: Apache
 * Commons Net's codec was dropped (see bench/results/tftp-decode.md).
 */
public sealed interface TftpPacket {

    int RRQ = 1;
    int WRQ = 2;
    int DATA = 3;
    int ACK = 4;
    int ERROR = 5;
    int OACK = 6;

    /** RFC 1350 error codes (and RFC 2347's 8). */
    int ERR_UNDEFINED = 0;
    int ERR_NOT_FOUND = 1;
    int ERR_ACCESS = 2;
    int ERR_DISK_FULL = 3;
    int ERR_ILLEGAL = 4;
    int ERR_UNKNOWN_TID = 5;
    int ERR_EXISTS = 6;
    int ERR_OPTIONS = 8;

    /** A read or write request. Option names are lower case; later duplicates are ignored. */
    record Request(boolean write, String filename, String mode, Map<String, String> options) implements TftpPacket {
        public Request {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        /** Whether the mode is netascii (else octet). */
        public boolean netascii() {
            return mode.equals("netascii");
        }
    }

    /** A request whose transfer mode is neither netascii nor octet ("mail" is obsolete). */
    record BadMode(boolean write, String filename, String mode) implements TftpPacket {
    }

    /** An acknowledgement of block {@code block} (0–65535). */
    record Ack(int block) implements TftpPacket {
    }

    /** A data packet of {@code length} payload bytes (payload not kept). */
    record Data(int block, int length) implements TftpPacket {
    }

    /** An error from the peer. */
    record Error(int code, String message) implements TftpPacket {
    }

    /** Anything else: too short, unknown opcode, unterminated strings. */
    record Malformed(String reason) implements TftpPacket {
    }

    /**
     * Decodes one datagram. Never throws: what cannot be decoded is {@link Malformed}.
     *
     * @param buf the bytes
     * @param off where the datagram starts
     * @param len its length
     */
    static TftpPacket decode(byte[] buf, int off, int len) {
        try {
            return decodeUnchecked(buf, off, len);
        } catch (RuntimeException e) {
            return new Malformed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static TftpPacket decodeUnchecked(byte[] buf, int off, int len) {
        if (len < 4) {
            return new Malformed("datagram of " + len + " bytes is shorter than any TFTP packet");
        }
        if (buf[off] != 0) {
            return new Malformed("unknown opcode " + (((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF)));
        }
        int op = buf[off + 1] & 0xFF;
        switch (op) {
            case ACK -> {
                if (len != 4) {
                    // RFC 1350: an ACK is exactly 4 bytes; some clients pad, accept trailing bytes
                    if (len > 516) {
                        return new Malformed("ACK of " + len + " bytes");
                    }
                }
                return new Ack(u16(buf, off + 2));
            }
            case DATA -> {
                return new Data(u16(buf, off + 2), len - 4);
            }
            case ERROR -> {
                int end = indexOfNul(buf, off + 4, off + len);
                if (end < 0) {
                    return new Malformed("ERROR message is not NUL-terminated");
                }
                return new Error(u16(buf, off + 2), new String(buf, off + 4, end - off - 4, StandardCharsets.ISO_8859_1));
            }
            case RRQ, WRQ -> {
                return decodeRequest(buf, off, len, op == WRQ);
            }
            default -> {
                return new Malformed("unknown opcode " + op);
            }
        }
    }

    private static TftpPacket decodeRequest(byte[] buf, int off, int len, boolean write) {
        int end = off + len;
        int nameEnd = indexOfNul(buf, off + 2, end);
        if (nameEnd < 0) {
            return new Malformed("request file name is not NUL-terminated");
        }
        int modeEnd = indexOfNul(buf, nameEnd + 1, end);
        if (modeEnd < 0) {
            return new Malformed("request mode is not NUL-terminated");
        }
        String name = new String(buf, off + 2, nameEnd - off - 2, StandardCharsets.ISO_8859_1);
        String mode = new String(buf, nameEnd + 1, modeEnd - nameEnd - 1, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (!mode.equals("octet") && !mode.equals("netascii")) {
            return new BadMode(write, name, mode);
        }
        // The options: pairs of NUL-terminated strings (RFC 2347). A trailing unpaired or
        // unterminated string is ignored, as tftpd-hpa does.
        Map<String, String> options = new LinkedHashMap<>();
        int i = modeEnd + 1;
        while (i < end) {
            int k = indexOfNul(buf, i, end);
            if (k < 0) {
                break;
            }
            int v = indexOfNul(buf, k + 1, end);
            if (v < 0) {
                break;
            }
            String key = new String(buf, i, k - i, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            String value = new String(buf, k + 1, v - k - 1, StandardCharsets.ISO_8859_1);
            options.putIfAbsent(key, value);
            i = v + 1;
        }
        return new Request(write, name, mode, options);
    }

    private static int indexOfNul(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** The unsigned 16-bit big-endian value at {@code at}. */
    static int u16(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
    }

    /** Writes the DATA header for {@code block} at the start of {@code buf}; the payload follows at 4. */
    static void dataHeader(byte[] buf, int block) {
        buf[0] = 0;
        buf[1] = DATA;
        buf[2] = (byte) (block >>> 8);
        buf[3] = (byte) block;
    }

    /** An ACK packet. */
    static byte[] ack(int block) {
        return new byte[] {0, ACK, (byte) (block >>> 8), (byte) block};
    }

    /** An OACK carrying {@code options} in order. */
    static byte[] oack(Map<String, String> options) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(OACK);
        writeOptions(out, options);
        return out.toByteArray();
    }

    /** Writes {@code options} as RFC 2347 pairs of NUL-terminated strings. */
    private static void writeOptions(java.io.ByteArrayOutputStream out, Map<String, String> options) {
        for (var e : options.entrySet()) {
            out.writeBytes(e.getKey().getBytes(StandardCharsets.US_ASCII));
            out.write(0);
            out.writeBytes(e.getValue().getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
    }

    /** An ERROR packet: opcode 5, the code, the message NUL-terminated (RFC 1350). */
    static byte[] error(int code, String message) {
        byte[] text = message.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[text.length + 5];
        out[1] = ERROR;
        out[2] = (byte) (code >>> 8);
        out[3] = (byte) code;
        System.arraycopy(text, 0, out, 4, text.length);
        return out;
    }

    /** A request packet (used by tests and the probe that waits for a daemon to listen). */
    static byte[] request(boolean write, String filename, String mode, Map<String, String> options) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(write ? WRQ : RRQ);
        out.writeBytes(filename.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.writeBytes(mode.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        writeOptions(out, options);
        return out.toByteArray();
    }
}
