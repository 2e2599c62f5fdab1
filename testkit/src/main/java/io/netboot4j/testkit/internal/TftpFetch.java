package io.netboot4j.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A lock-step TFTP read as iPXE's {@code net/udp/tftp.c} does it: RRQ in {@code octet} mode
 * with {@code blksize} and {@code tsize 0}, ACK 0 to the server's OACK, one ACK per block.
 * The retry timer is iPXE's ({@link Backoff} from 1/4 s, doubling, failing past 10 s:
 * {@code DEFAULT_MIN_TIMEOUT}/{@code DEFAULT_MAX_TIMEOUT} of {@code core/retry.c}); on a
 * timeout the last packet (RRQ or ACK) goes again; a repeated block is acknowledged again.
 * The data is checked as it arrives (length and CRC-32C), and kept only when asked (scripts).
 *
 * <p>One use per transfer; not thread-safe.
 */
public final class TftpFetch {

    /** What came: size, checksum, the bytes if kept, retransmissions, or why it failed. */
    public record Result(long size, long crc32c, byte[] data, int retransmissions, String failure) {
        /** Whether the whole file arrived. */
        public boolean ok() {
            return failure == null;
        }
    }

    private static final int RRQ = 1;
    private static final int DATA = 3;
    private static final int ACK = 4;
    private static final int ERROR = 5;
    private static final int OACK = 6;
    private static final long MIN_TIMEOUT = 250_000_000L;
    private static final long MAX_TIMEOUT = 10_000_000_000L;
    /** Scripts and configurations are small; a larger kept file is an error, not memory. */
    private static final int MAX_KEPT = 1 << 20;

    private final DatagramSocket socket;
    private final Impairment link;
    private final Backoff backoff = new Backoff(MIN_TIMEOUT, MAX_TIMEOUT);
    private final byte[] in;
    private int retransmissions;

    /**
     * @param socket the node's own socket (bound to its address, a free port)
     * @param link the node's impairment
     * @param maxBlockSize the block size asked for (sizes the receive buffer)
     */
    public TftpFetch(DatagramSocket socket, Impairment link, int maxBlockSize) {
        this.socket = socket;
        this.link = link;
        this.in = new byte[4 + Math.max(512, maxBlockSize)];
    }

    /**
     * Reads {@code file} from {@code server} (port 69 or another), asking for {@code blksize}.
     *
     * @param keep whether to keep the bytes (at most 1 MiB)
     */
    public Result read(InetSocketAddress server, String file, int blksize, boolean keep) throws IOException {
        ByteArrayOutputStream kept = keep ? new ByteArrayOutputStream() : null;
        CRC32C crc = new CRC32C();
        byte[] last = rrq(file, blksize);
        InetSocketAddress peer = server;
        InetSocketAddress tid = null;
        int block = blksize;
        int expected = 1;
        long size = 0;
        long sentAt = send(last, server);
        while (true) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            try {
                socket.setSoTimeout((int) Math.max(1, (backoff.timeoutNanos() - (System.nanoTime() - sentAt)) / 1_000_000));
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                if (!backoff.expired()) {
                    return fail(size, crc, "no answer to " + (expected == 1 && tid == null ? "RRQ" : "ACK " + (expected - 1))
                            + " after " + (retransmissions + 1) + " tries");
                }
                retransmissions++;
                sentAt = send(last, peer);
                continue;
            }
            if (link.lose()) {
                continue;
            }
            link.delay();
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            if (!from.getAddress().equals(server.getAddress()) || (tid != null && !from.equals(tid))) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            if (b.remaining() < 4) {
                continue;
            }
            int op = b.getShort() & 0xFFFF;
            if (op == ERROR) {
                int code = b.getShort() & 0xFFFF;
                return fail(size, crc, "TFTP error " + code + ": " + text(b));
            }
            if (tid == null && (op == OACK || op == DATA)) {
                tid = from;
                peer = from;
                if (op == OACK) {
                    block = optionBlockSize(b, 512);
                    answered(sentAt);
                    last = ack(0);
                    sentAt = send(last, peer);
                    continue;
                }
                block = 512;
            }
            if (op != DATA) {
                continue;
            }
            int n = b.getShort() & 0xFFFF;
            if (n != (expected & 0xFFFF)) {
                if (n == ((expected - 1) & 0xFFFF)) {
                    sentAt = send(last, peer);
                }
                continue;
            }
            answered(sentAt);
            int len = b.remaining();
            crc.update(b.array(), b.position(), len);
            if (kept != null) {
                if (size + len > MAX_KEPT) {
                    return fail(size, crc, file + " is larger than " + MAX_KEPT + " bytes");
                }
                kept.write(b.array(), b.position(), len);
            }
            size += len;
            last = ack(expected);
            expected++;
            sentAt = send(last, peer);
            if (len < block) {
                return new Result(size, crc.getValue(), kept == null ? null : kept.toByteArray(), retransmissions, null);
            }
        }
    }

    private void answered(long sentAt) {
        backoff.answered(System.nanoTime() - sentAt);
    }

    private Result fail(long size, CRC32C crc, String why) {
        return new Result(size, crc.getValue(), null, retransmissions, why);
    }

    private long send(byte[] packet, InetSocketAddress to) throws IOException {
        link.delay();
        if (!link.lose()) {
            socket.send(new DatagramPacket(packet, packet.length, to));
        }
        return System.nanoTime();
    }

    static byte[] rrq(String file, int blksize) {
        String body = file + "\0octet\0blksize\0" + blksize + "\0tsize\0" + "0\0";
        byte[] text = body.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(2 + text.length);
        b.putShort((short) RRQ).put(text);
        return b.array();
    }

    static byte[] ack(int block) {
        return ByteBuffer.allocate(4).putShort((short) ACK).putShort((short) block).array();
    }

    private static int optionBlockSize(ByteBuffer b, int fallback) {
        String[] parts = text(b).split("\0", -1);
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (parts[i].equalsIgnoreCase("blksize")) {
                try {
                    return Integer.parseInt(parts[i + 1]);
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    private static String text(ByteBuffer b) {
        String s = new String(b.array(), b.position(), b.remaining(), StandardCharsets.US_ASCII);
        return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
    }
}
