package io.netboot4j.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a {@link StormSimulator} run: one {@link NodeOutcome} per node, the wall
 * time until the last node was up (or gave up), and summaries.
 *
 * @param nodes one outcome per node, in the cluster's order
 * @param wall from the storm's start until every node was up or had failed
 * @param strayDhcp DHCP datagrams the simulator received that belonged to no node's exchange
 */
public record StormResult(List<NodeOutcome> nodes, Duration wall, long strayDhcp) {

    /** Copies the list. */
    public StormResult {
        nodes = List.copyOf(nodes);
    }

    /** The nodes that did not come up. */
    public List<NodeOutcome> failed() {
        return nodes.stream().filter(n -> !n.up()).toList();
    }

    /** How many failed, by the phase and reason (the reason's first 160 characters). */
    public Map<String, Integer> failureReasons() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (NodeOutcome n : failed()) {
            String why = n.failedIn() + ": " + (n.failure() == null ? "not finished" : n.failure());
            m.merge(why.length() > 160 ? why.substring(0, 160) : why, 1, Integer::sum);
        }
        return m;
    }

    /**
     * The {@code p}-th percentile (nearest rank) of the time until up, over the nodes that
     * came up; {@link Duration#ZERO} if none did.
     *
     * @param p from 0 (exclusive) to 100
     * @throws IllegalArgumentException if {@code p} is outside (0, 100]
     */
    public Duration percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], not " + p);
        }
        List<Duration> up = new ArrayList<>(nodes.stream().flatMap(n -> n.upAfter().stream()).toList());
        if (up.isEmpty()) {
            return Duration.ZERO;
        }
        up.sort(Comparator.naturalOrder());
        int rank = (int) Math.ceil(p / 100 * up.size());
        return up.get(Math.max(0, rank - 1));
    }

    /** Retransmissions of all nodes. */
    public long retransmissions() {
        return nodes.stream().mapToLong(NodeOutcome::retransmissions).sum();
    }

    /**
     * One line: nodes up, failed, wall time, p50/p95/p99/max, retransmissions.
     */
    public String summary() {
        return String.format(Locale.ROOT, "%d nodes: %d up, %d failed; wall %.2f s; up after p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s;"
                        + " %d retransmissions%s",
                nodes.size(), nodes.size() - failed().size(), failed().size(), seconds(wall), seconds(percentile(50)),
                seconds(percentile(95)), seconds(percentile(99)), seconds(percentile(100)), retransmissions(),
                failed().isEmpty() ? "" : "; failures " + failureReasons());
    }

    /** For each phase, the median time from the start to its end, over the nodes that finished it. */
    public Map<StormPhase, Duration> medianPhaseEnds() {
        Map<StormPhase, Duration> m = new LinkedHashMap<>();
        for (StormPhase ph : StormPhase.values()) {
            List<Duration> d = new ArrayList<>(nodes.stream().filter(n -> n.phases().containsKey(ph)).map(n -> n.phases().get(ph)).toList());
            if (!d.isEmpty()) {
                d.sort(Comparator.naturalOrder());
                m.put(ph, d.get((d.size() - 1) / 2));
            }
        }
        return m;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
