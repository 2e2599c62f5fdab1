package io.netboot4j.dhcp.internal;

import io.netboot4j.dhcp.DhcpCounters;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live counts of a DHCP engine ({@link DhcpEngine} or {@link ProxyDhcpEngine}), read as
 * one {@link DhcpCounters}; the server around the engine adds what fails outside it.
 * Thread-safe.
 */
public final class DhcpTally {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpTally.class);

    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder offers = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder naks = new LongAdder();
    final LongAdder releases = new LongAdder();
    final LongAdder declines = new LongAdder();
    final LongAdder bootp = new LongAdder();
    /** Messages of clients that are not nodes, ignored (each client reported once). */
    final UnknownClients unknown = new UnknownClients();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();

    /** How an engine decides on one datagram: its reply, or null for none. */
    interface Handling {
        DhcpEngine.Reply reply() throws Malformed;
    }

    /**
     * Counts one datagram received and runs its {@code handling}: a {@link Malformed} datagram
     * is counted and dropped, any other failure counted as an internal error, logged and
     * dropped.
     *
     * @return the reply, or null for none; never throws
     */
    DhcpEngine.Reply handle(int length, Handling handling) {
        received.increment();
        try {
            return handling.reply();
        } catch (Malformed e) {
            malformed.increment();
            LOG.debug("dropped a malformed datagram of {} bytes: {}", length, e.getMessage());
            return null;
        } catch (RuntimeException e) {
            internalErrors.increment();
            LOG.warn("could not handle a datagram of {} bytes; dropped", length, e);
            return null;
        }
    }

    /** Counts a reply that could not be sent. */
    public void countSendError() {
        sendErrors.increment();
    }

    /** Counts a failure outside the engine's handlers (for example in the receive call). */
    public void countInternalError() {
        internalErrors.increment();
    }

    /** The counts so far. */
    DhcpCounters counters() {
        return new DhcpCounters(received.sum(), malformed.sum(), ignored.sum(), unknown.count(), offers.sum(), acks.sum(),
                naks.sum(), releases.sum(), declines.sum(), bootp.sum(), sendErrors.sum(), internalErrors.sum());
    }
}
