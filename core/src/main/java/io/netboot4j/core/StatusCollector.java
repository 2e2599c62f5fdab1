package io.netboot4j.core;

import io.netboot4j.core.internal.StatusFeed;
import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One status table for a cluster split across head nodes ({@link HeadNodes}): every head's
 * {@link StatusReporter} sends the states of its nodes here, as UDP datagrams on the cluster
 * network to the collector head's address and {@link HeadNodes#feedPort()}.
 *
 * <p>A report is accepted only from the address of the head it names, about nodes that head
 * serves, for this cluster, and not older than the last one of that head; anything else, and
 * anything malformed, is dropped and counted ({@link #dropped()}). The feed is authenticated
 * by source address only, as Warewulf's node-to-server requests are: keep the cluster
 * network private to the cluster (see {@code core/README.md}).
 */
public final class StatusCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusCollector.class);

    private final Cluster whole;
    private final HeadNodes heads;
    private final DatagramChannel channel;
    private final Clock clock;
    private final Map<Node, Row> rows = new LinkedHashMap<>();
    private final Map<String, Instant> lastSent = new HashMap<>();
    private final Map<String, Instant> lastHeard = new HashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final Thread receiver;

    /**
     * One node's row: its state as its head last reported it.
     *
     * @param node the node
     * @param head the name of the head that serves it
     * @param state its state; {@code OFF} until its head reports
     * @param since when it entered that state (the head's clock)
     * @param lastEvent the description of its last event, or empty
     * @param lastEventTime when its last event happened (the head's clock), if it had one
     * @param reported when the collector last heard about it, if ever
     */
    public record Row(Node node, String head, NodeState state, Instant since, String lastEvent, Optional<Instant> lastEventTime,
                      Optional<Instant> reported) {
    }

    private StatusCollector(Cluster whole, HeadNodes heads, DatagramChannel channel, Clock clock) {
        this.whole = whole;
        this.heads = heads;
        this.channel = channel;
        this.clock = clock;
        Instant now = clock.instant();
        for (Node n : whole.nodes()) {
            rows.put(n, new Row(n, heads.headOf(n).map(HeadNode::name).orElse("-"), NodeState.OFF, now, "", Optional.empty(),
                    Optional.empty()));
        }
        this.receiver = Thread.ofVirtual().name("netboot4j-status-collector-" + whole.name()).start(this::receive);
    }

    /**
     * Starts collecting on the collector head's address and feed port ({@link HeadNodes#collectorAddress()}).
     *
     * @param whole the whole cluster, with its {@link HeadNodes}
     * @param seam where to open the socket: the collector head's network
     * @throws IllegalArgumentException if {@code whole} has no {@link HeadNodes}
     * @throws IOException if the socket cannot be opened
     */
    public static StatusCollector start(Cluster whole, NetworkSeam seam) throws IOException {
        HeadNodes heads = whole.extension(HeadNodes.class).orElseThrow(
                () -> new IllegalArgumentException("cluster " + whole.name() + " has no head nodes: add HeadNodes with with(..)"));
        DatagramChannel ch = seam.openUdp(heads.collectorAddress(), false);
        LOG.info("collecting node states of cluster {} on {}", whole.name(), heads.collectorAddress());
        return new StatusCollector(whole, heads, ch, Clock.systemUTC());
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(StatusFeed.MAX_DATAGRAM + 1);
        while (channel.isOpen()) {
            try {
                buf.clear();
                if (!(channel.receive(buf) instanceof InetSocketAddress from)) {
                    continue;
                }
                if (buf.position() > StatusFeed.MAX_DATAGRAM) {
                    dropped.incrementAndGet();
                    continue;
                }
                Optional<StatusFeed.Report> report = StatusFeed.decode(buf.array(), buf.position());
                if (report.isEmpty() || !accept(report.get(), from)) {
                    dropped.incrementAndGet();
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("status collector of cluster {}: {}", whole.name(), e.toString());
                dropped.incrementAndGet();
            }
        }
    }

    private synchronized boolean accept(StatusFeed.Report r, InetSocketAddress from) {
        Optional<HeadNode> head = heads.head(r.head());
        if (!r.cluster().equals(whole.name()) || head.isEmpty() || !head.get().address().equals(from.getAddress())) {
            LOG.debug("refused a status report from {} naming head {} of cluster {}", from, r.head(), r.cluster());
            return false;
        }
        String name = head.get().name();
        Instant last = lastSent.get(name);
        if (last != null && r.sent().isBefore(last)) {
            return false;
        }
        lastSent.put(name, r.sent());
        Instant now = clock.instant();
        lastHeard.put(name, now);
        boolean all = true;
        for (StatusFeed.Row row : r.rows()) {
            Optional<Node> node = whole.nodeByName(row.node()).filter(n -> heads.headOf(n).equals(head));
            if (node.isEmpty()) {
                all = false;
                continue;
            }
            rows.put(node.get(), new Row(node.get(), name, row.state(), row.since(), row.lastEvent(), row.lastEventTime(), Optional.of(now)));
        }
        accepted.incrementAndGet();
        notifyAll();
        return all;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return heads.collectorAddress();
    }

    /** Datagrams dropped: malformed, from an address that is not the head they name, about another cluster or about nodes their head does not serve. */
    public long dropped() {
        return dropped.get();
    }

    /** Reports accepted, wholly or in part (a row about a node its head does not serve is left out). */
    public long accepted() {
        return accepted.get();
    }

    /** Every node's row, in cluster order. */
    public synchronized List<Row> statuses() {
        return List.copyOf(rows.values());
    }

    /**
     * One node's row.
     *
     * @throws IllegalArgumentException if the cluster has no such node
     */
    public synchronized Row status(String hostname) {
        return rows.get(whole.nodeByName(hostname).orElseThrow(
                () -> new IllegalArgumentException("no node '" + hostname + "' in cluster " + whole.name())));
    }

    /** When the collector last heard from head {@code head}, if ever. */
    public synchronized Optional<Instant> lastHeard(String head) {
        return heads.head(head).map(h -> lastHeard.get(h.name()));
    }

    /**
     * Waits until every node of the whole cluster is reported in {@code state} or a later one.
     *
     * @throws TimeoutException listing the nodes that are not, with their heads and states
     */
    public synchronized List<Row> awaitAll(NodeState state, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> missing = rows.values().stream().filter(r -> r.state().compareTo(state) < 0)
                    .map(r -> r.node().hostname() + " (" + r.state() + " on " + r.head() + ")").toList();
            if (missing.isEmpty()) {
                return List.copyOf(rows.values());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("after " + timeout + " these nodes are not " + state + ": " + String.join(", ", missing));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * A table with one row per node of the whole cluster: name, MAC, address, head, state,
     * last event, its age, and how long ago its head last reported ({@code silent} after three
     * report intervals without a word, {@code never} before the first).
     */
    public synchronized String statusTable() {
        Instant now = clock.instant();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"NODE", "MAC", "ADDRESS", "HEAD", "STATE", "LAST EVENT", "AGE", "REPORTED"});
        for (Row r : rows.values()) {
            Optional<Instant> heard = Optional.ofNullable(lastHeard.get(r.head()));
            String reported = heard.map(h -> Duration.between(h, now).compareTo(heads.reportInterval().multipliedBy(3)) > 0
                    ? "silent " + age(Duration.between(h, now)) : age(Duration.between(h, now)) + " ago").orElse("never");
            lines.add(new String[] {r.node().hostname(), r.node().mac().toString(), Ipv4.format(r.node().address()), r.head(),
                    r.state().name(), r.lastEvent().isEmpty() ? "-" : r.lastEvent(),
                    r.lastEventTime().map(t -> age(Duration.between(t, now))).orElse("-"), reported});
        }
        int[] width = new int[8];
        lines.forEach(l -> {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        });
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                b.append(i == l.length - 1 ? l[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", l[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }

    /** Stops listening; idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
            receiver.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            LOG.warn("closing the status collector of cluster {}: {}", whole.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
