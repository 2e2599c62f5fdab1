package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Who may use the NFS, MOUNT and portmap ports, from the head node's {@link Admission}
 * (known nodes first, issue 13): a new TCP connection takes one request of its source's
 * rate and, on the NFS port, a connection permit (each node keeps one connection of its own
 * that nobody else can take; unknown sources get the budget's share, none by default); a datagram of
 * a source that is not a node takes one request of its rate (a node's datagrams are bounded
 * by the transport's call slots, not by a rate a boot would exceed). Refused sources are
 * dropped before anything is read or allocated, counted, and reported by a
 * {@link FloodWatch} (one log line per 10 s, one {@code FloodSuspected} event per source).
 * Export rules still decide what an admitted client may mount.
 */
final class RpcGate {

    static final String UNKNOWN = "not a node", TOO_FAST = "over its request rate", TOO_MANY = "over its connection limit",
            BUDGET = "head node budget spent";

    private final Admission admission;
    private final FloodWatch floods;
    private final boolean permits;

    /**
     * @param admission the head node's admission
     * @param floods where refusals are counted and reported
     */
    RpcGate(Admission admission, FloodWatch floods) {
        this(admission, floods, true);
    }

    private RpcGate(Admission admission, FloodWatch floods, boolean permits) {
        this.admission = admission;
        this.floods = floods;
        this.permits = permits;
    }

    /**
     * This gate for the MOUNT and portmap ports: the same sources and request rates, but
     * their short connections hold no connection permit. A client holds one to MOUNT (or
     * portmap) while it opens its NFS connection, and a node's own connection must be left
     * for the one that lasts.
     */
    RpcGate withoutConnectionPermits() {
        return new RpcGate(admission, floods, false);
    }

    /** What an admitted connection gives back when it closes, when the gate is open: nothing. */
    static final Runnable NOTHING = () -> { };

    /**
     * Admits a new connection from {@code source}: what to run when it closes (giving its
     * permit back), or null if it is refused (counted, reported).
     */
    Runnable connection(InetAddress source) {
        if (admission == null) {
            return NOTHING;
        }
        Optional<Admission.Refusal> no = admission.request(source);
        if (no.isPresent()) {
            floods.dropped(source, reason(no.get()));
            return null;
        }
        if (!permits) {
            return NOTHING;
        }
        Optional<Admission.Permit> permit = admission.connection(source);
        if (permit.isEmpty()) {
            floods.dropped(source, admission.isNode(source) ? TOO_MANY : admission.budget().refusesUnknownSources() ? UNKNOWN : BUDGET);
            return null;
        }
        return permit.get()::close;
    }

    /** Whether a datagram from {@code source} is admitted (a refusal is counted). */
    boolean datagram(InetAddress source) {
        if (admission == null || admission.isNode(source)) {
            return true;
        }
        Optional<Admission.Refusal> no = admission.request(source);
        if (no.isPresent()) {
            floods.dropped(source, reason(no.get()));
            return false;
        }
        return true;
    }

    /** Connections and datagrams refused so far. */
    long refused() {
        return floods == null ? 0 : floods.dropped();
    }

    private static String reason(Admission.Refusal r) {
        return switch (r) {
            case UNKNOWN_SOURCE -> UNKNOWN;
            case REQUEST_RATE -> TOO_FAST;
            case SOURCE_LIMIT -> TOO_MANY;
            case BUDGET -> BUDGET;
        };
    }
}
