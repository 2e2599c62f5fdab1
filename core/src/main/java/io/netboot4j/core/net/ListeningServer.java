package io.netboot4j.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What every embedded server built by a {@link ServerBuilder} does alike: it starts once,
 * listens on one address and closes idempotently. The protocol work is its {@link Engine}'s;
 * the server adds what is its own (statistics, a new boot tree).
 *
 * @param <E> the server's engine
 */
public abstract class ListeningServer<E extends ListeningServer.Engine> implements AutoCloseable {

    /** The protocol engine behind a server: it owns the listening socket and what is served. */
    public interface Engine {

        /**
         * Opens the listening socket and starts serving; returns once it listens.
         *
         * @throws IOException if the socket cannot be opened
         * @throws IllegalStateException if started before, or closed
         */
        void start() throws IOException;

        /**
         * The address it listens on.
         *
         * @throws IllegalStateException before {@link #start()}
         */
        InetSocketAddress localAddress();

        /** Stops listening and ends what is being served; idempotent. */
        void close();
    }

    private final E engine;

    /** A server run by {@code engine}. */
    protected ListeningServer(E engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The engine, for what the server adds. */
    protected final E engine() {
        return engine;
    }

    /**
     * Opens the listening socket and starts serving; returns once it listens.
     *
     * @throws IOException if the socket cannot be opened (port in use, address not local)
     * @throws IllegalStateException if started before, or closed
     */
    public final void start() throws IOException {
        engine.start();
    }

    /**
     * The address the server listens on (the real port when 0 was asked).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public final InetSocketAddress localAddress() {
        return engine.localAddress();
    }

    /** Stops listening and ends every transfer or connection under way; idempotent. */
    @Override
    public final void close() {
        engine.close();
    }
}
