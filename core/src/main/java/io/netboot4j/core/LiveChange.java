package io.netboot4j.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What {@link RunningCluster#update(Cluster)} may change, and what a change did. */
final class LiveChange {

    private LiveChange() {
    }

    /** The settings that differ between {@code now} and {@code next} but cannot change while running; empty if none. */
    static List<String> unchangeable(Cluster now, Cluster next) {
        List<String> problems = new ArrayList<>();
        same(problems, "name", now, next, Cluster::name);
        same(problems, "network (interface, subnet, server address, router)", now, next, Cluster::network);
        same(problems, "ports", now, next, Cluster::ports);
        same(problems, "root filesystem", now, next, Cluster::rootFilesystem);
        same(problems, "providers", now, next, Cluster::providers);
        same(problems, "work folder", now, next, Cluster::workFolder);
        if (now.networkSeam() != next.networkSeam()) {
            problems.add("network seam: the running one must be kept");
        }
        return problems;
    }

    private static void same(List<String> problems, String what, Cluster now, Cluster next, Function<Cluster, Object> get) {
        Object a = get.apply(now);
        Object b = get.apply(next);
        if (!Objects.equals(a, b)) {
            problems.add(what + " (running: " + a + ", asked: " + b + ")");
        }
    }

    /** The event for the change from {@code now} to {@code next}: host names added, removed and changed, in cluster order. */
    static BootEvent.ClusterUpdated event(Cluster now, Cluster next, Instant time) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Node n : next.nodes()) {
            now.nodeByName(n.hostname()).ifPresentOrElse(old -> {
                // a node is changed when it is, or when its group's profile or root is
                boolean grouped = old.group().isPresent() || n.group().isPresent();
                if (!old.equals(n) || grouped && (!now.boot(old).equals(next.boot(n))
                        || !now.rootFilesystem(old).equals(next.rootFilesystem(n)))) {
                    changed.add(n.hostname());
                }
            }, () -> added.add(n.hostname()));
        }
        List<String> removed = now.nodes().stream().map(Node::hostname).filter(h -> next.nodeByName(h).isEmpty()).toList();
        return new BootEvent.ClusterUpdated(time, next.name(), added, removed, changed);
    }
}
