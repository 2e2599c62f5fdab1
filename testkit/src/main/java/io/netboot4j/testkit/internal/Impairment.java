package io.netboot4j.testkit.internal;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Loss and delay of one simulated node's link, on the node's side, both directions, from
 * a seeded generator (the same seed and node give the same losses). A datagram is lost with
 * probability {@code loss} each way; every datagram is delayed by {@code delay} each way.
 * TCP cannot lose data above the socket, so a TCP segment "lost" costs what Linux's
 * retransmission costs: its minimum RTO of 200 ms before the data goes on.
 *
 * <p>Not thread-safe: used by the node's own thread only.
 */
public final class Impairment {

    /** Linux's minimum TCP retransmission timeout ({@code TCP_RTO_MIN}). */
    public static final Duration TCP_RTO_MIN = Duration.ofMillis(200);

    private final double loss;
    private final long delayNanos;
    private final SplittableRandom random;
    private int dropped;

    /**
     * @param loss the probability a datagram is lost, each way
     * @param delay the one-way delay added to each datagram
     * @param seed the run's seed
     * @param node the node's index, mixed into the seed
     */
    public Impairment(double loss, Duration delay, long seed, int node) {
        this.loss = loss;
        this.delayNanos = delay.toNanos();
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + node);
    }

    /** Whether the next datagram is lost (counted). */
    public boolean lose() {
        if (loss > 0 && random.nextDouble() < loss) {
            dropped++;
            return true;
        }
        return false;
    }

    /** Waits the one-way delay, if any. */
    public void delay() {
        pause(delayNanos);
    }

    /** Before a TCP write or after a TCP read: the delay, plus an RTO if the segment was "lost". */
    public void tcp() {
        pause(delayNanos + (lose() ? TCP_RTO_MIN.toNanos() : 0));
    }

    /** Datagrams and segments lost so far. */
    public int dropped() {
        return dropped;
    }

    private static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
