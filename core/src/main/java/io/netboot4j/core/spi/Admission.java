package io.netboot4j.core.spi;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The head node's {@link HeadBudget} at run time, shared by every embedded server of one
 * running cluster ({@link ServiceContext#admission()}): servers ask it before they spend
 * anything on a request, and hold a {@link Permit} while a transfer or connection runs.
 *
 * <p>A node is found by its address (or MAC for DHCP) in maps built once; asking about a
 * source that is refused allocates nothing. Each node keeps one transfer and one connection
 * of its own; nobody else can take them. Thread-safe.
 */
public final class Admission {

    /** Why a request was not admitted. */
    public enum Refusal {
        /** The source is not a node and unknown sources are refused. */
        UNKNOWN_SOURCE,
        /** The source asked more often than its request rate allows. */
        REQUEST_RATE,
        /** The source holds as many transfers or connections as it may. */
        SOURCE_LIMIT,
        /** The head node's budget (or unknown sources' share of it) is spent. */
        BUDGET
    }

    /** Unknown sources tracked at once; a new one beyond is refused for {@link Refusal#BUDGET}. */
    static final int MAX_TRACKED_UNKNOWN = 4096;

    private static final java.util.List<Optional<Refusal>> REFUSALS =
            java.util.Arrays.stream(Refusal.values()).map(Optional::of).toList();

    private final HeadBudget budget;
    private final Clock clock;
    /** Immutable; replaced as a whole by {@link #nodes(Cluster)}. */
    private volatile Map<InetAddress, Source> nodesByAddress = Map.of();
    /** Immutable; replaced as a whole by {@link #nodes(Cluster)}. */
    private volatile Map<MacAddress, Source> nodesByMac = Map.of();
    private final ConcurrentHashMap<InetAddress, Source> unknown = new ConcurrentHashMap<>();
    private final Pool transfers;
    private final Pool connections;
    private final AtomicLong bytesHeld = new AtomicLong();
    private final AtomicLong ownBytesHeld = new AtomicLong();
    private final AtomicLong unknownBytesHeld = new AtomicLong();
    private final long unknownBytesCap;
    private final LongAdder[] refusals = new LongAdder[Refusal.values().length];
    private final LongAdder admittedTransfers = new LongAdder();
    private final LongAdder admittedConnections = new LongAdder();

    private Admission(Cluster cluster, Clock clock) {
        this.budget = cluster.budget();
        this.clock = clock;
        int nodes = cluster.nodes().size();
        this.transfers = new Pool(budget.transfers() - nodes, share(budget.transfers()));
        this.connections = new Pool(budget.connections() - nodes, share(budget.connections()));
        nodes(cluster);
        this.unknownBytesCap = budget.refusesUnknownSources() ? 0 : (long) (budget.inFlightBytes() * budget.unknownShare());
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /**
     * Follows a running cluster's changed node list: new nodes get their own budget, nodes
     * that stay keep theirs, removed nodes become unknown sources. The shared pools are
     * resized to what a start with {@code cluster} would give them (its budget's transfers and
     * connections less one reserved for each node; unknown sources' share unchanged); what is
     * held beyond a smaller pool is kept until given back; new shared permits are refused until then.
     */
    public synchronized void nodes(Cluster cluster) {
        int count = cluster.nodes().size();
        transfers.resize(cluster.budget().transfers() - count, share(cluster.budget().transfers()));
        connections.resize(cluster.budget().connections() - count, share(cluster.budget().connections()));
        Map<InetAddress, Source> byAddress = new HashMap<>();
        Map<MacAddress, Source> byMac = new HashMap<>();
        for (Node n : cluster.nodes()) {
            Source s = nodesByMac.get(n.mac());
            if (s == null) {
                s = new Source(budget.perNode(), true, clock.millis());
            }
            byAddress.put(n.address(), s);
            byMac.put(n.mac(), s);
        }
        nodesByAddress = Map.copyOf(byAddress);
        nodesByMac = Map.copyOf(byMac);
    }

    private int share(int total) {
        return budget.refusesUnknownSources() ? 0 : Math.max(1, (int) (total * budget.unknownShare()));
    }

    /**
     * The admission of {@code cluster}'s {@link Cluster#budget() budget}. A running cluster
     * makes one and hands it to every service; a server started alone makes its own.
     */
    public static Admission of(Cluster cluster, Clock clock) {
        return new Admission(cluster, clock);
    }

    /** The budget this admission enforces. */
    public HeadBudget budget() {
        return budget;
    }

    /** Whether {@code source} is the address of one of the cluster's nodes. */
    public boolean isNode(InetAddress source) {
        return nodesByAddress.containsKey(source);
    }

    /** Whether {@code mac} is the MAC address of one of the cluster's nodes. */
    public boolean isNode(MacAddress mac) {
        return nodesByMac.containsKey(mac);
    }

    /**
     * Takes one request of {@code source} (a DHCP packet, a TFTP request, a new TCP
     * connection, an HTTP request) from its request rate.
     *
     * @return empty if admitted, else why not (already counted)
     */
    public Optional<Refusal> request(InetAddress source) {
        Source s = nodesByAddress.get(source);
        if (s == null) {
            s = unknownSource(source);
            if (s == null) {
                return refusal(budget.refusesUnknownSources() ? Refusal.UNKNOWN_SOURCE : Refusal.BUDGET);
            }
        }
        return s.bucket.take(clock.millis()) ? Optional.empty() : refusal(Refusal.REQUEST_RATE);
    }

    /**
     * Takes one DHCP packet of the client with hardware address {@code mac} from its request
     * rate; unknown MACs are judged by {@code source} as {@link #request(InetAddress)} does.
     *
     * @return empty if admitted, else why not (already counted)
     */
    public Optional<Refusal> request(MacAddress mac, InetAddress source) {
        Source s = nodesByMac.get(mac);
        if (s == null) {
            return request(source);
        }
        return s.bucket.take(clock.millis()) ? Optional.empty() : refusal(Refusal.REQUEST_RATE);
    }

    /**
     * A boot-file transfer for {@code source} holding {@code bytes} of buffers.
     *
     * @return the permit to close when the transfer ends, or empty if refused (counted)
     */
    public Optional<Permit> transfer(InetAddress source, long bytes) {
        return acquire(source, bytes, transfers, true);
    }

    /**
     * A TCP connection of {@code source}.
     *
     * @return the permit to close when the connection closes, or empty if refused (counted)
     */
    public Optional<Permit> connection(InetAddress source) {
        return acquire(source, 0, connections, false);
    }

    /**
     * Buffers for data under way for {@code source} (an RPC record, a response being
     * written), within the in-flight byte budget.
     *
     * @return the permit to close when the bytes are freed, or empty if refused (counted)
     */
    public Optional<Permit> bytes(InetAddress source, long bytes) {
        boolean node = nodesByAddress.containsKey(source);
        if (!node && budget.refusesUnknownSources()) {
            return refuse(Refusal.UNKNOWN_SOURCE);
        }
        if (!takeBytes(bytes, node, false)) {
            return refuse(Refusal.BUDGET);
        }
        return Optional.of(new Permit(this, null, null, false, bytes, node));
    }

    private Optional<Permit> acquire(InetAddress source, long bytes, Pool pool, boolean transfer) {
        Source s = nodesByAddress.get(source);
        boolean node = s != null;
        if (!node) {
            s = unknownSource(source);
            if (s == null) {
                return refuse(budget.refusesUnknownSources() ? Refusal.UNKNOWN_SOURCE : Refusal.BUDGET);
            }
        }
        AtomicInteger held = transfer ? s.transfers : s.connections;
        int cap = transfer ? s.limit.transfers() : s.limit.connections();
        if (!increment(held, cap)) {
            return refuse(node || cap > 0 ? Refusal.SOURCE_LIMIT : Refusal.UNKNOWN_SOURCE);
        }
        AtomicBoolean reserved = transfer ? s.reservedTransfer : s.reservedConnection;
        boolean own = node && reserved.compareAndSet(false, true);
        if (!own && !pool.take(node)) {
            held.decrementAndGet();
            return refuse(Refusal.BUDGET);
        }
        if (!takeBytes(bytes, node, own)) {
            if (own) {
                reserved.set(false);
            } else {
                pool.give(node);
            }
            held.decrementAndGet();
            return refuse(Refusal.BUDGET);
        }
        (transfer ? admittedTransfers : admittedConnections).increment();
        return Optional.of(new Permit(this, s, pool, own, bytes, node));
    }

    /**
     * Nodes' own slots may always hold their bytes, beside the budget: they are as many as
     * the nodes, and servers bound what one transfer or connection holds.
     */
    private boolean takeBytes(long bytes, boolean node, boolean own) {
        if (bytes <= 0) {
            return true;
        }
        if (!node && !increment(unknownBytesHeld, bytes, unknownBytesCap)) {
            return false;
        }
        if (own) {
            ownBytesHeld.addAndGet(bytes);
            return true;
        }
        if (!increment(bytesHeld, bytes, budget.inFlightBytes())) {
            if (!node) {
                unknownBytesHeld.addAndGet(-bytes);
            }
            return false;
        }
        return true;
    }

    private Source unknownSource(InetAddress source) {
        if (budget.refusesUnknownSources()) {
            return null;
        }
        Source s = unknown.get(source);
        if (s != null) {
            return s;
        }
        if (unknown.size() >= MAX_TRACKED_UNKNOWN) {
            long now = clock.millis();
            unknown.values().removeIf(u -> u.idle(now));
            if (unknown.size() >= MAX_TRACKED_UNKNOWN) {
                return null;
            }
        }
        return unknown.computeIfAbsent(source, a -> new Source(budget.unknownSources(), false, clock.millis()));
    }

    private Optional<Refusal> refusal(Refusal why) {
        refusals[why.ordinal()].increment();
        return REFUSALS.get(why.ordinal());
    }

    private <T> Optional<T> refuse(Refusal why) {
        refusals[why.ordinal()].increment();
        return Optional.empty();
    }

    private static boolean increment(AtomicInteger counter, int cap) {
        while (true) {
            int c = counter.get();
            if (c >= cap) {
                return false;
            }
            if (counter.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    private static boolean increment(AtomicLong counter, long by, long cap) {
        while (true) {
            long c = counter.get();
            if (c + by > cap) {
                return false;
            }
            if (counter.compareAndSet(c, c + by)) {
                return true;
            }
        }
    }

    /** The counters now. */
    public Counters counters() {
        return new Counters(admittedTransfers.sum(), admittedConnections.sum(),
                refusals[Refusal.UNKNOWN_SOURCE.ordinal()].sum(), refusals[Refusal.REQUEST_RATE.ordinal()].sum(),
                refusals[Refusal.SOURCE_LIMIT.ordinal()].sum(), refusals[Refusal.BUDGET.ordinal()].sum(),
                transfers.held(), connections.held(), bytesHeld.get(), ownBytesHeld.get());
    }

    /**
     * What admission did so far.
     *
     * @param transfers transfers admitted
     * @param connections connections admitted
     * @param refusedUnknown requests refused because their source is not a node
     * @param refusedRate requests refused for their source's request rate
     * @param refusedSourceLimit requests refused because their source held all it may
     * @param refusedBudget requests refused because the budget was spent
     * @param transfersHeld transfers from the shared part running now (nodes' own slots not included)
     * @param connectionsHeld connections from the shared part open now (nodes' own slots not included)
     * @param bytesHeld in-flight bytes held now from the budget
     * @param ownBytesHeld in-flight bytes held now by nodes' own transfers and connections, beside the budget
     */
    public record Counters(long transfers, long connections, long refusedUnknown, long refusedRate,
                           long refusedSourceLimit, long refusedBudget, int transfersHeld, int connectionsHeld,
                           long bytesHeld, long ownBytesHeld) {

        /** All refusals. */
        public long refused() {
            return refusedUnknown + refusedRate + refusedSourceLimit + refusedBudget;
        }
    }

    /** A held transfer, connection or buffer; close it (once or more) to give it back. */
    public static final class Permit implements AutoCloseable {
        private final Admission owner;
        private final Source source;
        private final Pool pool;
        private final boolean own;
        private final long bytes;
        private final boolean node;
        private final AtomicBoolean closed = new AtomicBoolean();

        Permit(Admission owner, Source source, Pool pool, boolean own, long bytes, boolean node) {
            this.owner = owner;
            this.source = source;
            this.pool = pool;
            this.own = own;
            this.bytes = bytes;
            this.node = node;
        }

        /** Gives everything back; idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            if (bytes > 0) {
                (own ? owner.ownBytesHeld : owner.bytesHeld).addAndGet(-bytes);
                if (!node) {
                    owner.unknownBytesHeld.addAndGet(-bytes);
                }
            }
            if (source == null) {
                return;
            }
            boolean transfer = pool == owner.transfers;
            if (own) {
                (transfer ? source.reservedTransfer : source.reservedConnection).set(false);
            } else {
                pool.give(node);
            }
            (transfer ? source.transfers : source.connections).decrementAndGet();
            source.lastUse = owner.clock.millis();
        }
    }

    /** The shared part of transfers or connections, and unknown sources' share of it. */
    private static final class Pool {
        private volatile int cap;
        private volatile int unknownCap;
        private final AtomicInteger held = new AtomicInteger();
        private final AtomicInteger unknownHeld = new AtomicInteger();

        Pool(int cap, int unknownCap) {
            resize(cap, unknownCap);
        }

        /** The next take is checked against these sizes (a live change of the node list). */
        void resize(int cap, int unknownCap) {
            this.cap = Math.max(0, cap);
            this.unknownCap = Math.min(this.cap, unknownCap);
        }

        boolean take(boolean node) {
            if (!node && !increment(unknownHeld, unknownCap)) {
                return false;
            }
            if (!increment(held, cap)) {
                if (!node) {
                    unknownHeld.decrementAndGet();
                }
                return false;
            }
            return true;
        }

        void give(boolean node) {
            held.decrementAndGet();
            if (!node) {
                unknownHeld.decrementAndGet();
            }
        }

        int held() {
            return held.get();
        }
    }

    /** What one source holds, and its request rate. */
    private static final class Source {
        final HeadBudget.SourceLimit limit;
        final AtomicInteger transfers = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicBoolean reservedTransfer = new AtomicBoolean();
        final AtomicBoolean reservedConnection = new AtomicBoolean();
        final TokenBucket bucket;
        volatile long lastUse;

        Source(HeadBudget.SourceLimit limit, boolean node, long now) {
            this.limit = limit;
            this.bucket = new TokenBucket(limit.requestsPerSecond(), now);
            this.lastUse = now;
        }

        boolean idle(long now) {
            return transfers.get() == 0 && connections.get() == 0 && now - Math.max(lastUse, bucket.last()) > 10_000;
        }
    }

    /**
     * A request rate: {@code rate} tokens a second, at most {@code 2 * rate} saved up (a
     * burst of two seconds' worth). Thread-safe; allocates nothing per request.
     */
    public static final class TokenBucket {
        private final double perMilli;
        private final double burst;
        private double tokens;
        private long last;

        /**
         * @param rate tokens a second; 0 refuses everything
         * @param now the clock's milliseconds now
         */
        public TokenBucket(int rate, long now) {
            this.perMilli = rate / 1000.0;
            this.burst = 2.0 * rate;
            this.tokens = burst;
            this.last = now;
        }

        /**
         * Takes one token if there is one.
         *
         * @param now the clock's milliseconds now
         * @return whether a token was taken
         */
        public synchronized boolean take(long now) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perMilli);
                last = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized long last() {
            return last;
        }
    }
}
