package io.netboot4j.nfsroot.internal;

import java.util.concurrent.Semaphore;

/**
 * The server-wide budget of bytes in flight (calls read and their replies not yet sent),
 * counted in KiB. A reader takes a call's share before reading it further and blocks
 * while the budget is spent, so what the server holds for its clients stays bounded
 * whatever they send or fail to read. Fair, so a large call is not starved by small ones.
 */
final class InFlightBudget {

    private final int totalKiB;
    private final Semaphore kib;

    InFlightBudget(long bytes) {
        this.totalKiB = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes >> 10));
        this.kib = new Semaphore(totalKiB, true);
    }

    /** The share of {@code bytes}, at most the whole budget. */
    int share(long bytes) {
        return (int) Math.min(totalKiB, Math.max(1, (bytes + 1023) >> 10));
    }

    /** Takes {@code bytes}' share, waiting for room; returns the share to {@link #release(int)}. */
    int take(long bytes) throws InterruptedException {
        int n = share(bytes);
        kib.acquire(n);
        return n;
    }

    /** Takes {@code bytes}' share only if there is room now; returns it, or 0. */
    int tryTake(long bytes) {
        int n = share(bytes);
        return kib.tryAcquire(n) ? n : 0;
    }

    void release(int share) {
        if (share > 0) {
            kib.release(share);
        }
    }

    /** Bytes in flight now. */
    long inFlight() {
        return (long) (totalKiB - kib.availablePermits()) << 10;
    }
}
