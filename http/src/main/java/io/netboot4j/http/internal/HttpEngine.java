package io.netboot4j.http.internal;

import io.netboot4j.core.net.ListeningServer;
import io.netboot4j.boot.BootFile;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running HTTP server: a listening socket opened through the network seam, an accept
 * loop on a platform thread, one platform thread per connection (or what
 * {@code connectionThreads} makes), and a watchdog that closes
 * connections whose client stalls.
 */
public final class HttpEngine implements ListeningServer.Engine {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEngine.class);

    /**
     * What the engine serves and how.
     *
     * @param files the boot-tree file by checked name, until {@link #files(Function)} replaces it
     * @param address where to listen
     * @param network the seam sockets are opened through
     * @param events where FileSent/FileFailed go
     * @param clock time of events and Date fields
     * @param maxConnections connections served at once; more are answered 503 and closed
     * @param idleTimeout how long a connection may wait for (or in the middle of) a request head
     * @param sendTimeout how long a response may make no progress (a client that stopped reading)
     * @param name for logs and thread names
     * @param connectionThreads where connections run, or null for a new daemon platform thread each
     * @param admission the head's budget (known nodes first), or empty for {@code maxConnections} alone
     */
    public record Settings(Function<String, Optional<BootFile>> files, InetSocketAddress address, NetworkSeam network,
                           BootEventListener events, Clock clock, int maxConnections, Duration idleTimeout,
                           Duration sendTimeout, String name, java.util.concurrent.ThreadFactory connectionThreads,
                           Optional<Admission> admission) {
    }

    private static final String UNKNOWN = "unknown source";
    private static final String TOO_FAST = "over its request rate";
    private static final String OVER_LIMIT = "over its connection limit or the head's budget";
    /** How long a node's connection may send nothing before a new connection of the node may replace it. */
    private static final Duration SILENT = Duration.ofSeconds(1);

    /** Counters; read through {@link #statistics()}. */
    static final class Stats {
        final LongAdder connections = new LongAdder();
        final LongAdder refusedConnections = new LongAdder();
        final LongAdder requests = new LongAdder();
        final LongAdder badRequests = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final LongAdder filesSent = new LongAdder();
        final LongAdder failedTransfers = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder bytesSent = new LongAdder();
    }

    /** A snapshot of the counters, see {@code HttpStatistics}. */
    public record Snapshot(long connections, long refusedConnections, long requests, long badRequests, long refused,
                           long notFound, long filesSent, long failedTransfers, long timedOut, long bytesSent, int open) {
    }

    final Settings settings;
    final Stats stats = new Stats();
    private final Admission admission;
    private final FloodWatch floods;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final String boundary = "nb4j" + HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));
    private volatile Function<String, Optional<BootFile>> files;
    private volatile ServerSocketChannel listener;
    private volatile Instant started;
    private Thread acceptor;
    private Thread watchdog;

    private enum State { NEW, RUNNING, CLOSED }

    public HttpEngine(Settings settings) {
        this.settings = settings;
        this.files = settings.files();
        this.admission = settings.admission().orElse(null);
        this.floods = new FloodWatch(settings.name(), settings.events(), settings.clock(), LOG);
    }

    /** The file lookup in use. */
    Function<String, Optional<BootFile>> files() {
        return files;
    }

    /** Serves {@code lookup} from the next request on. */
    public void files(Function<String, Optional<BootFile>> lookup) {
        this.files = lookup;
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /** Opens the socket and starts accepting; returns once it listens. */
    @Override
    public void start() throws IOException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException(settings.name() + " was " + (state.get() == State.CLOSED ? "closed" : "started already"));
        }
        try {
            listener = settings.network().openTcp(settings.address(), 1024);
        } catch (IOException e) {
            state.set(State.CLOSED);
            throw new IOException(settings.name() + " cannot listen on " + settings.address().getAddress().getHostAddress() + ":"
                    + settings.address().getPort() + " (" + settings.network().describe() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            state.set(State.CLOSED);
            throw e;
        }
        started = settings.clock().instant();
        LOG.info("{} listening on {} ({})", settings.name(), localAddress(), settings.network().describe());
        acceptor = Thread.ofPlatform().daemon().name(settings.name() + "-accept").start(this::accept);
        watchdog = Thread.ofPlatform().daemon().name(settings.name() + "-watchdog").start(this::watch);
    }

    /** The bound address (the real port when 0 was asked). */
    @Override
    public InetSocketAddress localAddress() {
        ServerSocketChannel l = listener;
        if (l == null) {
            throw new IllegalStateException(settings.name() + " is not started");
        }
        try {
            return (InetSocketAddress) l.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(settings.name() + " is closed", e);
        }
    }

    boolean running() {
        return state.get() == State.RUNNING;
    }

    Instant now() {
        return settings.clock().instant();
    }

    Instant started() {
        return started;
    }

    String boundary() {
        return boundary;
    }

    void emit(BootEvent e) {
        try {
            settings.events().onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("{}: event listener failed on {}: {}", settings.name(), e.describe(), ex.toString());
        }
    }

    void ended(HttpConnection c) {
        open.remove(c);
    }

    private void accept() {
        var threads = settings.connectionThreads() != null ? settings.connectionThreads()
                : Thread.ofPlatform().daemon().name(settings.name() + "-conn-", 0).factory();
        while (running()) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("{}: accept failed: {}", settings.name(), e.toString());
                continue;
            }
            try {
                InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
                Optional<Admission.Permit> permit = admit(ch, peer.getAddress());
                if (permit == null) {
                    continue;
                }
                stats.connections.increment();
                HttpConnection c = new HttpConnection(this, ch, peer, permit.orElse(null));
                open.add(c);
                try {
                    threads.newThread(c).start();
                } catch (RuntimeException e) {
                    open.remove(c);
                    c.release();
                    throw e;
                }
            } catch (IOException e) {
                LOG.debug("{}: dropped a connection at accept: {}", settings.name(), e.toString());
                closeQuietly(ch);
            }
        }
    }

    /**
     * Known nodes first: a source over its request rate, or not a node while unknown sources
     * are refused, is closed without a word (one lookup, counted); a connection beyond its
     * source's limit or the budget gets a 503, after idle keep-alive connections were closed
     * to make room for it where that helps (a client that reconnects while the server has not
     * seen its old connection's close yet, or left it idle, is not refused for it).
     *
     * @return the permit (empty without admission), or null when the connection was refused and closed
     */
    private Optional<Admission.Permit> admit(SocketChannel ch, InetAddress from) {
        if (admission == null) {
            if (open.size() >= settings.maxConnections() && !closeIdle(from, true)) {
                overLimit(ch, from, true);
                return null;
            }
            return Optional.empty();
        }
        Optional<Admission.Refusal> no = admission.request(from);
        if (no.isPresent()) {
            stats.refusedConnections.increment();
            floods.dropped(from, no.get() == Admission.Refusal.UNKNOWN_SOURCE ? UNKNOWN : TOO_FAST);
            closeQuietly(ch);
            return null;
        }
        boolean node = admission.isNode(from);
        Optional<Admission.Permit> permit = admission.connection(from);
        if (permit.isEmpty() && open.size() < settings.maxConnections() && closeIdle(from, node)) {
            permit = admission.connection(from);
        }
        if (permit.isEmpty() || open.size() >= settings.maxConnections() && !closeIdle(from, node)) {
            permit.ifPresent(Admission.Permit::close);
            overLimit(ch, from, node);
            return null;
        }
        return permit;
    }

    private void overLimit(SocketChannel ch, InetAddress from, boolean answer) {
        stats.refusedConnections.increment();
        floods.dropped(from, OVER_LIMIT);
        if (answer) {
            refuse(ch);
        } else {
            closeQuietly(ch);
        }
    }

    /**
     * Closes one idle connection to make room for a new one of {@code from}: the oldest of
     * {@code from}'s own connections waiting for its next request (its client moved on to a
     * new connection), or — for a node — sending nothing for a second (its firmware restarted
     * and left it behind); else, for a node or without admission, the oldest keep-alive
     * connection of anyone waiting for its next request, as nginx reuses idle keep-alive
     * connections when it runs out. A connection in the middle of a request is never closed.
     *
     * @return whether one was closed (its permit is back)
     */
    private boolean closeIdle(InetAddress from, boolean node) {
        boolean mayTakeOthers = admission == null || node;
        long silentSince = System.nanoTime() - SILENT.toNanos();
        HttpConnection oldest = null;
        boolean oldestOwn = false;
        for (HttpConnection c : open) {
            boolean own = admission != null && c.peer().getAddress().equals(from);
            boolean candidate = c.keptAlive() && (own || mayTakeOthers) || own && node && c.silentSince(silentSince);
            if (!candidate) {
                continue;
            }
            if (oldest == null || own && !oldestOwn || own == oldestOwn && c.progressNanos() < oldest.progressNanos()) {
                oldest = c;
                oldestOwn = own;
            }
        }
        if (oldest == null) {
            return false;
        }
        LOG.debug("{}: closed an idle connection of {} to make room for {}", settings.name(), oldest.peer(), from);
        oldest.abort();
        oldest.release();
        open.remove(oldest);
        return true;
    }

    /** Over the connection bound: a 503 written without waiting (it fits the socket buffer), then close. */
    private void refuse(SocketChannel ch) {
        try (ch) {
            ch.configureBlocking(false);
            byte[] body = "503 Service Unavailable\n".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer head = new ResponseHead(503, now()).field("Retry-After", 1).field("Content-Type", "text/plain")
                    .field("Content-Length", body.length).field("Connection", "close").end();
            ch.write(new ByteBuffer[] {head, ByteBuffer.wrap(body)});
        } catch (IOException e) {
            LOG.debug("{}: refusing a connection: {}", settings.name(), e.toString());
        }
    }

    private void watch() {
        long idle = settings.idleTimeout().toNanos();
        long send = settings.sendTimeout().toNanos();
        long tick = Math.max(10, Math.min(idle, send) / 4_000_000);
        while (running()) {
            try {
                Thread.sleep(Math.min(tick, 1000));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (HttpConnection c : open) {
                long limit = c.phase() == HttpConnection.Phase.SENDING ? send : idle;
                if (c.phase() != HttpConnection.Phase.DONE && now - c.progressNanos() > limit) {
                    if (c.phase() != HttpConnection.Phase.WAITING) {
                        stats.timedOut.increment();
                        LOG.info("{}: closing a connection stalled in {} for more than {} ms", settings.name(),
                                c.phase(), limit / 1_000_000);
                    }
                    c.abort();
                }
            }
        }
    }

    /** The counters now. */
    public Snapshot statistics() {
        return new Snapshot(stats.connections.sum(), stats.refusedConnections.sum(), stats.requests.sum(),
                stats.badRequests.sum(), stats.refused.sum(), stats.notFound.sum(), stats.filesSent.sum(),
                stats.failedTransfers.sum(), stats.timedOut.sum(), stats.bytesSent.sum(), open.size());
    }

    /** Stops listening and closes every connection; idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        ServerSocketChannel l = listener;
        if (l != null) {
            closeQuietly(l);
        }
        for (HttpConnection c : open) {
            c.abort();
        }
        for (Thread t : new Thread[] {acceptor, watchdog}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
