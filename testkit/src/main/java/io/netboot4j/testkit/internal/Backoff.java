package io.netboot4j.testkit.internal;

/**
 * iPXE's retry timer ({@code core/retry.c}): the timeout starts at {@code min}, doubles on
 * every expiry, and the timer fails once the doubled value exceeds {@code max}. A reply
 * measured in time pulls the timeout toward half the round trip ({@code stop_timer}:
 * {@code timeout -= timeout/8; timeout += rtt/2}), never below {@code min}.
 *
 * <p>Not thread-safe: one per client.
 */
public final class Backoff {

    private final long minNanos;
    private final long maxNanos;
    private long timeoutNanos;

    /**
     * @param minNanos the first timeout (iPXE's {@code DEFAULT_MIN_TIMEOUT} is 1/4 s)
     * @param maxNanos the last timeout that is still retried
     */
    public Backoff(long minNanos, long maxNanos) {
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.timeoutNanos = minNanos;
    }

    /** The current timeout. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /**
     * The timer expired: doubles the timeout.
     *
     * @return {@code false} when the doubled timeout exceeds the maximum (give up)
     */
    public boolean expired() {
        timeoutNanos <<= 1;
        if (timeoutNanos > maxNanos) {
            timeoutNanos = maxNanos;
            return false;
        }
        return true;
    }

    /** An answer came {@code rttNanos} after the request: the timeout moves toward it. */
    public void answered(long rttNanos) {
        timeoutNanos -= timeoutNanos >> 3;
        timeoutNanos += rttNanos >> 1;
        timeoutNanos = Math.max(minNanos, Math.min(maxNanos, timeoutNanos));
    }

    /** Back to the first timeout (a new exchange). */
    public void reset() {
        timeoutNanos = minNanos;
    }
}
