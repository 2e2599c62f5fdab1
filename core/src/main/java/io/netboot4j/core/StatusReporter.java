package io.netboot4j.core;

import io.netboot4j.core.internal.StatusFeed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the node states of one head's running part to the collector of its cluster
 * ({@link StatusCollector}): a node's row at once when it changes, and every row again each
 * {@link HeadNodes#reportInterval()}, so a lost datagram or a collector started late costs one
 * interval at most. Sent from the head's address on the cluster network (the collector checks
 * it), through the running cluster's network seam.
 */
public final class StatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final RunningCluster running;
    private final String cluster;
    private final String head;
    private final InetSocketAddress collector;
    private final DatagramChannel channel;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, StatusFeed.Row> lastSent = new HashMap<>();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final BootEventListener listener = e -> sendChanged();
    private final Thread ticker;
    private volatile boolean closed;

    private StatusReporter(RunningCluster running, String cluster, HeadNode head, InetSocketAddress collector, DatagramChannel channel,
                           Duration interval) {
        this.running = running;
        this.cluster = cluster;
        this.head = head.name();
        this.collector = collector;
        this.channel = channel;
        running.addListener(listener);
        this.ticker = Thread.ofVirtual().name("netboot4j-status-reporter-" + head.name()).start(() -> tick(interval));
    }

    /**
     * Starts reporting the nodes of {@code running}, the part of head {@code head}.
     *
     * @param running the head's running part ({@link HeadNodes#part(Cluster, String)})
     * @param heads the whole cluster's head nodes
     * @param head this head's name
     * @throws IllegalArgumentException if {@code heads} has no head {@code head}
     * @throws IOException if the socket cannot be opened on the head's address
     */
    public static StatusReporter start(RunningCluster running, HeadNodes heads, String head) throws IOException {
        HeadNode me = heads.head(head).orElseThrow(() -> new IllegalArgumentException("no head node '" + head + "'; the heads: "
                + heads.heads().stream().map(HeadNode::name).toList()));
        DatagramChannel ch = running.cluster().networkSeam().openUdp(new InetSocketAddress(me.address(), 0), false);
        return new StatusReporter(running, running.cluster().name(), me, heads.collectorAddress(), ch, heads.reportInterval());
    }

    private void tick(Duration interval) {
        while (!closed) {
            send(false);
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sendChanged() {
        send(true);
    }

    private synchronized void send(boolean changedOnly) {
        if (closed) {
            return;
        }
        List<StatusFeed.Row> rows = running.statuses().stream().map(StatusReporter::row)
                .filter(r -> !changedOnly || !r.equals(lastSent.get(r.node()))).toList();
        if (changedOnly && rows.isEmpty()) {
            return;
        }
        for (byte[] d : StatusFeed.encode(cluster, head, clock.instant(), rows)) {
            try {
                channel.send(ByteBuffer.wrap(d), collector);
                datagrams.incrementAndGet();
            } catch (IOException e) {
                if (failures.getAndIncrement() % 100 == 0) {
                    LOG.warn("head {} cannot send its node states to the collector {}: {}", head, collector, e.toString());
                }
            }
        }
        rows.forEach(r -> lastSent.put(r.node(), r));
    }

    private static StatusFeed.Row row(NodeStatus s) {
        return new StatusFeed.Row(s.node().hostname(), s.state(), s.since(), s.lastEvent().map(BootEvent::time),
                s.lastEvent().map(BootEvent::describe).orElse(""));
    }

    /** Datagrams sent so far. */
    public long datagramsSent() {
        return datagrams.get();
    }

    /** Datagrams that could not be sent (logged every hundredth). */
    public long sendFailures() {
        return failures.get();
    }

    /** Sends every row once more, stops reporting and closes the socket; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        send(false);
        closed = true;
        running.removeListener(listener);
        ticker.interrupt();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the status reporter of head {}: {}", head, e.toString());
        }
    }
}
