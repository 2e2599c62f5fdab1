package io.netboot4j.core.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Folds boot events into one {@link NodeStatus} per node; see {@link NodeState} for the
 * rules. Thread-safe; waiters are woken on every change.
 */
public final class NodeStateTable {

    private volatile Cluster cluster;
    private final Clock clock;
    private final Map<Node, NodeStatus> rows = new LinkedHashMap<>();

    public NodeStateTable(Cluster cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
        Instant now = clock.instant();
        for (Node n : cluster.nodes()) {
            rows.put(n, new NodeStatus(n, NodeState.OFF, Optional.empty(), now));
        }
    }

    /**
     * Follows a changed description: rows of new nodes start {@code OFF}, rows of removed
     * nodes go, a node whose MAC and address stayed keeps its state (with its new settings),
     * any other changed node starts again at {@code OFF}.
     */
    public synchronized void update(Cluster next) {
        Map<String, NodeStatus> old = new LinkedHashMap<>();
        rows.values().forEach(s -> old.put(s.node().hostname(), s));
        rows.clear();
        Instant now = clock.instant();
        for (Node n : next.nodes()) {
            NodeStatus was = old.get(n.hostname());
            boolean same = was != null && was.node().mac().equals(n.mac()) && was.node().address().equals(n.address());
            rows.put(n, same ? new NodeStatus(n, was.state(), was.lastEvent(), was.since()) : new NodeStatus(n, NodeState.OFF, Optional.empty(), now));
        }
        cluster = next;
        notifyAll();
    }

    /** The node an event is about, if it is about a node of the cluster. */
    public Optional<Node> nodeOf(BootEvent e) {
        Optional<Node> byMac = e.mac().flatMap(cluster::nodeByMac);
        return byMac.isPresent() ? byMac : e.client().flatMap(cluster::nodeByAddress);
    }

    /** Applies one event; returns the node it concerned, if any. */
    public synchronized Optional<Node> apply(BootEvent e) {
        Optional<Node> node = nodeOf(e);
        if (node.isEmpty()) {
            return node;
        }
        NodeStatus old = rows.get(node.get());
        NodeState next = next(old.state(), e);
        Instant since = next == old.state() ? old.since() : e.time();
        rows.put(node.get(), new NodeStatus(node.get(), next, Optional.of(e), since));
        notifyAll();
        return node;
    }

    private NodeState next(NodeState s, BootEvent e) {
        return switch (e) {
            case BootEvent.AddressAcknowledged a when !a.renewal()
                    && (s == NodeState.OFF || s == NodeState.ROOT_MOUNTED || s == NodeState.UP) -> NodeState.ADDRESSED;
            case BootEvent.FileSent f when isKernel(f.file()) && s.compareTo(NodeState.KERNEL) < 0 -> NodeState.KERNEL;
            case BootEvent.FileSent f when s == NodeState.ADDRESSED || s == NodeState.OFF -> NodeState.LOADING;
            case BootEvent.RootMounted m -> s == NodeState.UP ? s : NodeState.ROOT_MOUNTED;
            case BootEvent.NodeUp u -> NodeState.UP;
            default -> s;
        };
    }

    private boolean isKernel(String file) {
        String name = file.startsWith("/") ? file.substring(1) : file;
        if (name.substring(name.lastIndexOf('/') + 1).equals(cluster.boot().kernelFileName())) {
            return true;
        }
        // a group's kernel, served from the group's folder
        return cluster.groups().stream().anyMatch(g -> name.endsWith(g.folder() + g.boot().kernelFileName()));
    }

    /** The status of every node, in cluster order. */
    public synchronized List<NodeStatus> all() {
        return List.copyOf(rows.values());
    }

    /** The status of one node. */
    public synchronized NodeStatus of(Node node) {
        NodeStatus s = rows.get(node);
        if (s == null) {
            throw new IllegalArgumentException("no node " + node.hostname() + " in cluster " + cluster.name());
        }
        return s;
    }

    /**
     * Waits until {@code done} holds for the statuses of {@code nodes}.
     *
     * @throws TimeoutException listing the nodes that did not get there
     */
    public synchronized List<NodeStatus> await(List<Node> nodes, Predicate<NodeStatus> done, Duration timeout, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<NodeStatus> current = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Node n : nodes) {
                NodeStatus s = of(n);
                current.add(s);
                if (!done.test(s)) {
                    missing.add(n.hostname() + " (" + s.state() + ")");
                }
            }
            if (missing.isEmpty()) {
                return current;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("after " + timeout + " these nodes are not " + what + ": " + String.join(", ", missing));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** One row per node: name, MAC, address, state, last event, age of the last event. */
    public String render() {
        List<NodeStatus> all = all();
        Instant now = clock.instant();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"NODE", "MAC", "ADDRESS", "STATE", "LAST EVENT", "AGE"});
        for (NodeStatus s : all) {
            lines.add(new String[] {s.node().hostname(), s.node().mac().toString(), Ipv4.format(s.node().address()),
                    s.state().name(), s.lastEvent().map(BootEvent::describe).orElse("-"),
                    s.lastEvent().map(e -> age(Duration.between(e.time(), now))).orElse("-")});
        }
        int[] width = new int[6];
        for (String[] l : lines) {
            for (int i = 0; i < 6; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] l : lines) {
            for (int i = 0; i < 6; i++) {
                b.append(i == 5 ? l[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", l[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }
}
