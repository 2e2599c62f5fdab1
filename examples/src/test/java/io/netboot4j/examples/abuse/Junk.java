package io.netboot4j.examples.abuse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;

/**
 * Hostile traffic made by jqwik generators driven by one seeded {@link Random}, so a run
 * can be repeated from its printed seed: DHCP junk, TFTP requests, ONC RPC records.
 */
final class Junk {

    private static final int GEN_SIZE = 1000;

    private final RandomGenerator<byte[]> bytes;
    private final RandomGenerator<Integer> kind;
    private final RandomGenerator<Long> macs;
    private final RandomGenerator<Integer> small;
    private final RandomGenerator<byte[]> options;
    private final Random random;

    /**
     * The generators are made inside a jqwik session on the calling thread (jqwik memoizes
     * them in its lifecycle store); drawing values works from any thread afterwards.
     */
    Junk(long seed) {
        this.random = new Random(seed);
        JqwikSession.start();
        try {
            bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(1500).generator(GEN_SIZE);
            kind = Arbitraries.integers().between(0, 3).generator(GEN_SIZE);
            macs = Arbitraries.longs().between(0x0266_0000_0000L, 0x0266_FFFF_FFFFL).generator(GEN_SIZE);
            small = Arbitraries.integers().between(0, 255).generator(GEN_SIZE);
            options = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(400).generator(GEN_SIZE);
        } finally {
            JqwikSession.finish();
        }
    }

    private <T> T next(RandomGenerator<T> g) {
        return g.next(random).value();
    }

    /** Random bytes, a truncated request, an option-overloaded request, or one with huge option lengths. */
    synchronized byte[] dhcp() {
        return switch (next(kind)) {
            case 0 -> next(bytes);
            case 1 -> {
                byte[] d = discover(next(macs), next(options));
                yield java.util.Arrays.copyOf(d, Math.min(d.length, next(small) + 200));
            }
            case 2 -> {
                // option 52 = 3: the options go on in the file and sname fields, which hold junk
                byte[] d = discover(next(macs), new byte[] {52, 1, 3});
                byte[] fill = next(bytes);
                System.arraycopy(fill, 0, d, 44, Math.min(fill.length, 64 + 128));
                yield d;
            }
            default -> {
                // options whose lengths run past the end of the datagram
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                for (int i = 0; i < 1 + next(small) % 8; i++) {
                    o.write(next(small));
                    o.write(255);
                    o.writeBytes(java.util.Arrays.copyOf(next(options), next(small) % 200));
                }
                yield discover(next(macs), o.toByteArray());
            }
        };
    }

    /** A DHCPDISCOVER of {@code mac} whose options after the message type are {@code options}, unterminated. */
    static byte[] discover(long mac, byte[] options) {
        ByteBuffer b = ByteBuffer.allocate(240 + 3 + options.length);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0);
        b.putInt((int) mac);
        b.position(28);
        b.putShort((short) (mac >>> 32)).putInt((int) mac);
        b.position(236);
        b.putInt(0x63825363);
        b.put((byte) 53).put((byte) 1).put((byte) 1);
        b.put(options);
        return b.array();
    }

    /** A read request for {@code file} asking for the largest blocks and window, or a write request. */
    synchronized byte[] tftpRequest(String file) {
        boolean write = next(small) % 5 == 0;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(0);
        o.write(write ? 2 : 1);
        o.writeBytes((write ? "upload-" + next(small) : file).getBytes(StandardCharsets.US_ASCII));
        o.write(0);
        o.writeBytes("octet".getBytes(StandardCharsets.US_ASCII));
        o.write(0);
        for (String s : new String[] {"blksize", "65464", "windowsize", "64", "tsize", "0"}) {
            o.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            o.write(0);
        }
        return o.toByteArray();
    }

    /** An ACK of a block the server never sent, or of block 0 forever. */
    synchronized byte[] wrongAck() {
        int block = next(small) % 2 == 0 ? 0 : 1000 + next(small);
        return new byte[] {0, 4, (byte) (block >>> 8), (byte) block};
    }

    /**
     * One ONC RPC over TCP misdeed: a record mark announcing 2 GiB, a record cut short, or a
     * well-formed CALL of {@code program}/{@code version}/a random procedure whose arguments
     * are random bytes.
     */
    synchronized byte[] rpcRecord(int program, int version) {
        return switch (next(kind) % 3) {
            case 0 -> ByteBuffer.allocate(12).putInt(0xFFFF_FFFF).putInt(next(small)).putInt(7).array();
            case 1 -> {
                byte[] part = next(options);
                yield ByteBuffer.allocate(4 + part.length).putInt(0x8000_0000 | (part.length + 1000)).put(part).array();
            }
            default -> {
                byte[] args = next(options);
                byte[] call = call(next(small) << 8 | next(small), program, version, next(small) % 22, args);
                yield ByteBuffer.allocate(4 + call.length).putInt(0x8000_0000 | call.length).put(call).array();
            }
        };
    }

    /** A CALL message (RFC 5531) with AUTH_NONE credentials and {@code args} as arguments. */
    static byte[] call(int xid, int program, int version, int procedure, byte[] args) {
        return ByteBuffer.allocate(40 + args.length).putInt(xid).putInt(0).putInt(2).putInt(program).putInt(version)
                .putInt(procedure).putInt(0).putInt(0).putInt(0).putInt(0).put(args).array();
    }

    /** Random bytes for a UDP RPC port. */
    synchronized byte[] datagram() {
        return next(bytes);
    }

    /** A random index below {@code n}. */
    synchronized int index(int n) {
        return Math.floorMod(random.nextInt(), n);
    }
}
