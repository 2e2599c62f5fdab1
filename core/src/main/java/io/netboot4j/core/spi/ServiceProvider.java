package io.netboot4j.core.spi;

/**
 * A named factory of one concern's implementation. Each concern has its own sub-interface
 * so that {@link java.util.ServiceLoader} finds providers per concern; declare a provider
 * in both {@code module-info.java} ({@code provides}) and
 * {@code META-INF/services/<sub-interface name>}.
 *
 * @param <S> what the provider creates
 */
public interface ServiceProvider<S> {

    /** The short name users choose it by, for example {@code embedded} or {@code kea}. */
    String name();

    /**
     * Creates the implementation for one cluster. Must be cheap: no sockets, no processes.
     *
     * @param context the validated cluster, a work folder, the event sink and the network seam
     */
    S create(ServiceContext context);
}
