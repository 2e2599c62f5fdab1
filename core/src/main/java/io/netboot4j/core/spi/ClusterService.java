package io.netboot4j.core.spi;

import io.netboot4j.core.Cluster;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A running part of the head node (DHCP, TFTP, NFS server or a managed daemon).
 *
 * <p>Constructed cheaply by its provider; {@link #start()} does the real work and returns
 * once the service really listens. {@link #close()} is idempotent; starting after
 * closing throws {@link IllegalStateException}.
 */
public interface ClusterService extends AutoCloseable {

    /** The provider name and concern, for example {@code embedded DHCP}. */
    String name();

    /**
     * Starts the service; returns when it is ready.
     *
     * @throws Exception if it cannot start; the message says why and how to fix it
     */
    void start() throws Exception;

    /** The addresses the service listens on, by protocol name (for example {@code "tftp"}); empty before start. */
    default Map<String, InetSocketAddress> endpoints() {
        return Map.of();
    }

    /**
     * Whether {@link #update(Cluster)} can apply {@code next} while the service runs. A
     * running cluster asks every service before it changes any, so a change no service
     * refuses is applied everywhere or nowhere. Default: no.
     *
     * @param next a valid description with the running cluster's network, ports and root
     */
    default boolean supportsUpdate(Cluster next) {
        return false;
    }

    /**
     * Applies {@code next} (nodes added, removed or changed, boot settings) without stopping:
     * clients in the middle of a transfer or mount keep what they have.
     *
     * @throws UnsupportedOperationException if {@link #supportsUpdate(Cluster)} is false (the default)
     */
    default void update(Cluster next) {
        throw new UnsupportedOperationException(name() + " cannot apply a changed cluster while it runs; close the cluster and start it again");
    }

    /** Stops the service and frees its resources; idempotent. */
    @Override
    void close();
}
