package io.netboot4j.tftp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.IntSupplier;

/**
 * A short, adaptive busy wait for the client's next packet, tried before a transfer blocks.
 *
 * <p>In lock-step TFTP the answer to a DATA block usually comes back within tens of
 * microseconds. Blocking for it costs a virtual thread two scheduler hand-offs (park on the
 * poller, unpark on a carrier) and an idle CPU the time to wake; polling the socket for a
 * little while catches the ACK at once. The wait is adaptive so it never costs much:
 *
 * <ul>
 *   <li>a poll lasts only as long as a prompt client needs for what it was sent:
 *       {@value #PER_PACKET_NANOS} ns per packet plus {@value #PER_BYTE_NANOS} ns per byte of
 *       block, at most the configured duration. A client slower than that (an emulated machine,
 *       a far link) is not worth a CPU: its polls miss and back off;
 *   <li>transfers poll only while no more of them run than there are spare processors
 *       ({@code processors - 1}; none on one CPU): with more clients than that, a spinning
 *       transfer would take the CPU its peers, the listener and the clients need, so a storm
 *       of clients blocks as before;
 *   <li>a session whose polls keep missing polls less and less often (after {@code n}
 *       misses in a row it skips the next {@code 2^n - 1} waits, up to 63), and a hit resets it.
 * </ul>
 *
 * <p>One instance per transfer. Not thread-safe.
 */
final class SpinReceive {

    /** What a prompt client needs per packet it answers, beyond its bytes. */
    static final long PER_PACKET_NANOS = 100_000;
    /** What a prompt client needs per byte of block it answers. */
    static final long PER_BYTE_NANOS = 10;

    /** The most transfers that may run for any of them to poll: the spare processors. */
    static final int SPARE_PROCESSORS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);

    private final long spinNanos;
    private final IntSupplier runningTransfers;
    private final int limit;
    private int misses;
    private int skip;

    /**
     * @param spinNanos        the longest any poll lasts (0: never poll)
     * @param runningTransfers how many transfers the engine runs now
     * @param limit            poll only while at most this many run (0: never poll)
     */
    SpinReceive(long spinNanos, IntSupplier runningTransfers, int limit) {
        this.spinNanos = spinNanos;
        this.runningTransfers = runningTransfers;
        this.limit = limit;
    }

    /** How long to poll for the answer to {@code packets} packets of blocks of {@code blockSize} bytes. */
    long budget(int packets, int blockSize) {
        long prompt = Math.max(1, packets) * (PER_PACKET_NANOS + (long) blockSize * PER_BYTE_NANOS);
        return Math.min(spinNanos, prompt);
    }

    /**
     * Polls {@code channel} (in blocking mode on entry and on return) for the answer to
     * {@code packets} packets of {@code blockSize}-byte blocks, for at most
     * {@link #budget(int, int)}, and not past {@code deadlineNanos}.
     *
     * @return the sender with the packet in {@code buffer} (flipped), or null to block instead
     */
    InetSocketAddress poll(DatagramChannel channel, ByteBuffer buffer, long deadlineNanos, int packets, int blockSize)
            throws IOException {
        if (spinNanos <= 0) {
            return null;
        }
        if (skip > 0) {
            skip--;
            return null;
        }
        if (runningTransfers.getAsInt() > limit) {
            return null;
        }
        long end = Math.min(deadlineNanos, System.nanoTime() + budget(packets, blockSize));
        channel.configureBlocking(false);
        try {
            do {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (from != null) {
                    buffer.flip();
                    misses = 0;
                    return from;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() < end);
        } finally {
            channel.configureBlocking(true);
        }
        misses = Math.min(misses + 1, 6);
        skip = (1 << misses) - 1;
        return null;
    }
}
