package io.netboot4j.core.spi;

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

    /** Stops the service and frees its resources; idempotent. */
    @Override
    void close();
}
