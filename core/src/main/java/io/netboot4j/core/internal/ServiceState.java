package io.netboot4j.core.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of a service that starts once: new, then started, then closed for good. A second
 * start, or a start after close, is an {@link IllegalStateException} naming the service;
 * {@link #close()} tells its caller which phase it ended, so the resources are released once.
 * Thread-safe. The one copy of that rule for netboot4j's services.
 */
public final class ServiceState {

    /** Where a service is in its life. */
    public enum Phase {
        /** Made, not started. */
        NEW,
        /** {@link ServiceState#start()} was called (whether or not the start went on to succeed). */
        STARTED,
        /** Closed: it will not start again. */
        CLOSED
    }

    private final String service;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);

    /** @param service the service in messages, for example {@code the kernel-nfsd export} */
    public ServiceState(String service) {
        this.service = service;
    }

    /**
     * Moves from new to started.
     *
     * @throws IllegalStateException if it was started or closed already
     */
    public void start() {
        if (!phase.compareAndSet(Phase.NEW, Phase.STARTED)) {
            throw new IllegalStateException(service + (phase.get() == Phase.CLOSED ? " was closed; make a new one"
                    : " was already started"));
        }
    }

    /** Closes it; returns the phase it was in ({@link Phase#CLOSED} when closed already: nothing to release). */
    public Phase close() {
        return phase.getAndSet(Phase.CLOSED);
    }

    /**
     * Closes it and, unless it was closed before, each of {@code parts} that is not null, in
     * order (a part is null when the start failed before making it, or never came). Every part
     * is closed even if one fails.
     *
     * @return whether this call closed it (false: it was closed already, nothing was done)
     * @throws IllegalStateException naming the service if a part failed to close (each failure
     *     is a suppressed exception)
     */
    public boolean closeOnce(AutoCloseable... parts) {
        if (close() == Phase.CLOSED) {
            return false;
        }
        IllegalStateException failure = new IllegalStateException("some parts of " + service + " failed to close");
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
        return true;
    }

    /** Whether it was started and is not closed. */
    public boolean isRunning() {
        return phase.get() == Phase.STARTED;
    }

    /** Whether it was closed. */
    public boolean isClosed() {
        return phase.get() == Phase.CLOSED;
    }
}
