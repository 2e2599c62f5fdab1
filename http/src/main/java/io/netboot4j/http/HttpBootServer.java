package io.netboot4j.http;

import io.netboot4j.boot.BootFile;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.net.ListeningServer;
import io.netboot4j.core.net.ServerBuilder;
import io.netboot4j.http.internal.HttpEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * An embeddable HTTP/1.1 server for a cluster's boot tree: what iPXE fetches kernel and
 * initrd with, and what UEFI HTTP Boot loads its first program from.
 *
 * <p>{@code GET} and {@code HEAD}; single and multiple byte ranges ({@code multipart/byteranges});
 * {@code ETag}, {@code Last-Modified}, {@code If-None-Match}, {@code If-Modified-Since} (304) and
 * {@code If-Range}; persistent connections and pipelining. Only the files of the tree are
 * reachable, by their tree names: targets with {@code ..}, {@code .}, empty components, escaped
 * slashes or control characters are refused (400). Files on disk are sent with
 * {@code sendfile(2)} ({@link java.nio.channels.FileChannel#transferTo}); generated ones from
 * memory. One platform thread per connection ({@code sendfile} blocks in the kernel); at most {@code maxConnections} at once (more are
 * answered 503); a client that sends nothing, or stops reading, is disconnected after a timeout.
 * Every whole-file GET emits {@link io.netboot4j.core.BootEvent.FileSent} or
 * {@link io.netboot4j.core.BootEvent.FileFailed}, as the TFTP server does, so HTTP transfers
 * move nodes to {@code LOADING} and {@code KERNEL}.
 *
 * <p>With a budget ({@link ServerBuilder#admission}), known nodes come first: a connection
 * of a source that is not a node while the budget refuses unknown sources, or of a source over
 * its request rate, is closed without an answer; one beyond its source's connection limit or
 * the budget is answered 503 (a node) or closed (anyone else), after idle keep-alive
 * connections were closed to make room for a node's. Refusals are counted
 * ({@link HttpStatistics#refusedConnections()}), logged at most once per 10 s, and a source
 * refused 200 times in 10 s is reported once as a {@code FloodSuspected} event.
 *
 * {@snippet :
 * try (HttpBootServer server = HttpBootServer.builder()
 *         .tree(PxeBootTree.of(cluster))
 *         .address(new InetSocketAddress("127.0.0.1", 0))
 *         .build()) {
 *     server.start();
 *     System.out.println("serving http://" + server.localAddress().getHostString() + ":" + server.localAddress().getPort() + "/");
 * }
 * }
 */
public final class HttpBootServer extends ListeningServer<HttpEngine> {

    private HttpBootServer(HttpEngine engine) {
        super(engine);
    }

    /** Starts describing a server; defaults: port 80 on all addresses, host network. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Serves {@code tree} from the next request on, for example the tree of a changed cluster
     * description; responses under way finish with the file they opened.
     */
    public void serve(PxeBootTree tree) {
        Objects.requireNonNull(tree, "tree");
        engine().files(tree::file);
    }

    /** The counters since start. */
    public HttpStatistics statistics() {
        HttpEngine.Snapshot s = engine().statistics();
        return new HttpStatistics(s.connections(), s.refusedConnections(), s.requests(), s.badRequests(), s.refused(),
                s.notFound(), s.filesSent(), s.failedTransfers(), s.timedOut(), s.bytesSent(), s.open());
    }

    /** Describes an {@link HttpBootServer}; each setter checks its argument at once. */
    public static final class Builder extends ServerBuilder<Builder> {
        private Function<String, Optional<BootFile>> files;
        private int maxConnections = 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private ThreadFactory connectionThreads;

        private Builder() {
            super(80, "http", Builder.class);
        }

        /** The boot tree to serve (required): each file under its tree name, at {@code /<name>}. */
        public Builder tree(PxeBootTree tree) {
            Objects.requireNonNull(tree, "tree");
            this.files = tree::file;
            return this;
        }

        /**
         * The bound on connections served at once; a connection beyond it gets a 503 with
         * {@code Retry-After: 1} and is closed; default 1024.
         *
         * @throws IllegalArgumentException unless between 1 and 65536
         */
        public Builder maxConnections(int max) {
            this.maxConnections = between(max, 1, 65536, "max connections");
            return this;
        }

        /**
         * How long a connection may wait for a request, or sit in the middle of one, before it
         * is closed; default 60 s (nginx's {@code client_header_timeout}).
         *
         * @throws IllegalArgumentException unless between 100 ms and 1 hour
         */
        public Builder idleTimeout(Duration timeout) {
            check(timeout, "idle timeout");
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * How long a response may make no progress (the client stopped reading) before the
         * connection is closed; default 60 s (nginx's {@code send_timeout}).
         *
         * @throws IllegalArgumentException unless between 100 ms and 1 hour
         */
        public Builder sendTimeout(Duration timeout) {
            check(timeout, "send timeout");
            this.sendTimeout = timeout;
            return this;
        }

        /**
         * Where connections run; default one new daemon platform thread per connection, in
         * which {@code sendfile} blocks in the kernel until the client has read (nginx's
         * worker sleeps the same way). With virtual threads ({@code Thread.ofVirtual().factory()})
         * a connection costs no kernel thread, but the socket is non-blocking underneath:
         * when it is full the thread parks with a small write and is woken by the JDK's poller,
         * which measured more CPU per byte in a 200-client storm (see the module's README).
         */
        public Builder connectionThreads(ThreadFactory factory) {
            this.connectionThreads = Objects.requireNonNull(factory, "factory");
            return this;
        }


        private static void check(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(what + " " + d + " must be between 100 ms and 1 hour");
            }
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if no tree was set
         */
        public HttpBootServer build() {
            if (files == null) {
                throw new IllegalStateException("no tree: call tree(PxeBootTree.of(cluster))");
            }
            return new HttpBootServer(new HttpEngine(new HttpEngine.Settings(files, address(), network(), events(), clock(), maxConnections,
                    idleTimeout, sendTimeout, name(), connectionThreads, admission())));
        }
    }
}
