package io.netboot4j.core;

/**
 * Thrown by {@link Cluster#start()} when a service fails to start; names the service.
 * Services started before it have been closed (their close failures are suppressed
 * exceptions of this one).
 */
public final class ClusterStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The name of the service that failed. */
    private final String service;

    /** @param service the failing service's name; @param cause why it failed */
    public ClusterStartException(String service, Throwable cause) {
        super("could not start " + service + ": " + cause.getMessage(), cause);
        this.service = service;
    }

    /** The name of the service that failed, for example {@code embedded TFTP}. */
    public String service() {
        return service;
    }
}
