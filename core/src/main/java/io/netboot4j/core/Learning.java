package io.netboot4j.core;

import io.netboot4j.core.internal.DiscoveryRecords;
import io.netboot4j.core.internal.LearnedState;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running cluster learns while it runs (discovered machines, adopted nodes), and its
 * file in the work folder ({@link LearnedState}): read at start, written after every
 * adoption and change, at most once a second for discoveries, and at close.
 */
final class Learning {

    private static final Logger LOG = LoggerFactory.getLogger(Learning.class);
    /** Discoveries are written at most this often (a flood of unknown MACs must not become a flood of fsyncs). */
    private static final long SAVE_INTERVAL_MILLIS = 1000;
    private static final String PLACEHOLDER = "netboot4j-adopting";

    private final Path file;
    private final Clock clock;
    private final DiscoveryRecords records;
    private final Set<MacAddress> adopted = new LinkedHashSet<>();
    private final Cluster started;
    private long lastSave;
    private boolean dirty;

    private Learning(Path file, Clock clock, Cluster started, DiscoveryRecords records) {
        this.file = file;
        this.clock = clock;
        this.started = started;
        this.records = records;
    }

    /**
     * Reads the learned state of {@code cluster} in {@code work} and adds the adopted nodes the
     * description lacks (a node of the same MAC in the description wins).
     *
     * @throws ClusterStartException naming the file if it is corrupt or its nodes no longer fit the description
     */
    static Learning load(Cluster cluster, Path work, Clock clock) {
        Path file = work.resolve(LearnedState.FILE);
        LearnedState state;
        try {
            state = LearnedState.read(file);
        } catch (RuntimeException e) {
            throw new ClusterStartException("learned state", e);
        }
        Discovery d = cluster.extension(Discovery.class).orElse(null);
        DiscoveryRecords records = new DiscoveryRecords(d == null ? Discovery.DEFAULT_MAX_RECORDS : d.maxRecords(),
                d == null ? Discovery.DEFAULT_RECORD_LIFETIME : d.recordLifetime());
        records.addAll(state.discovered());
        List<Node> missing = state.adopted().stream().filter(n -> cluster.nodeByMac(n.mac()).isEmpty()).toList();
        Cluster effective = cluster;
        if (!missing.isEmpty()) {
            ClusterBuilder b = cluster.toBuilder();
            List<String> problems = new ArrayList<>();
            for (Node n : missing) {
                if (cluster.nodeByName(n.hostname()).isPresent()) {
                    problems.add("adopted node " + n.hostname() + " (" + n.mac() + ") has the name of another node of the description");
                } else {
                    b.node(n);
                }
            }
            try {
                effective = b.build();
            } catch (ClusterConfigException e) {
                problems.addAll(e.problems());
            }
            if (!problems.isEmpty()) {
                throw new ClusterStartException("learned state", new IllegalStateException("the nodes adopted in " + file
                        + " do not fit the cluster description: " + String.join("; ", problems)
                        + "; remove their lines from the file, or change the description"));
            }
            LOG.info("cluster {}: {} adopted nodes reloaded from {}", cluster.name(), missing.size(), file);
        }
        Learning learning = new Learning(file, clock, effective, records);
        missing.forEach(n -> learning.adopted.add(n.mac()));
        learning.dirty = missing.size() != state.adopted().size(); // the description took some over: forget them at the next write
        return learning;
    }

    /** The description to start: the one given plus the adopted nodes it lacks. */
    Cluster cluster() {
        return started;
    }

    /** The discovery records. */
    DiscoveryRecords records() {
        return records;
    }

    /** Records a discovery; written now if the last write is a second old, else soon. */
    synchronized void discovered(BootEvent.NodeDiscovered d, Cluster current) {
        records.add(d);
        dirty = true;
        if (clock.millis() - lastSave >= SAVE_INTERVAL_MILLIS) {
            save(current);
        }
    }

    /** Marks {@code mac} as adopted into {@code current} and writes the state. */
    synchronized void adopted(MacAddress mac, Cluster current) {
        adopted.add(mac);
        records.remove(mac);
        save(current);
    }

    /** Writes the state if a discovery was not written yet. */
    synchronized void flush(Cluster current) {
        if (dirty) {
            save(current);
        }
    }

    /** Writes the state now: adopted nodes still in {@code current} (as it describes them), and the discovery records. */
    synchronized void save(Cluster current) {
        adopted.removeIf(mac -> current.nodeByMac(mac).isEmpty());
        List<Node> nodes = adopted.stream().map(mac -> current.nodeByMac(mac).orElseThrow()).toList();
        new LearnedState(nodes, records.all(clock.instant())).write(file);
        lastSave = clock.millis();
        dirty = false;
    }

    /**
     * The description with {@code mac} adopted as node {@code name} at {@code address}, checked
     * as {@link ClusterBuilder#build()} checks (and that the name and MAC are not a node's yet).
     *
     * @throws ClusterConfigException listing every problem
     */
    static Cluster adopt(Cluster current, MacAddress mac, String name, Inet4Address address) {
        List<String> problems = new ArrayList<>();
        if (mac == null || address == null) {
            problems.add("adopting needs a MAC address and an IPv4 address (got " + mac + ", " + address + ")");
            throw new ClusterConfigException(current.name(), problems);
        }
        Hostname host = null;
        try {
            host = Hostname.parse(name);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        boolean nameTaken = host != null && current.nodeByName(host.value()).isPresent();
        if (nameTaken) {
            problems.add("host name " + name + " is already a node's");
        }
        // The other rules (MAC and address not taken, address in the subnet and not in a pool, ...)
        // are build()'s; checked under a placeholder name when the name itself is the problem.
        Hostname checked = host != null && !nameTaken ? host : Hostname.parse(PLACEHOLDER);
        Cluster next = null;
        try {
            next = current.toBuilder().node(new Node(checked, mac, address)).build();
        } catch (ClusterConfigException e) {
            e.problems().forEach(p -> problems.add(p.replace(PLACEHOLDER, String.valueOf(name))));
        }
        if (!problems.isEmpty()) {
            throw new ClusterConfigException(current.name(), problems);
        }
        return next;
    }

    /**
     * Like {@link #adopt(Cluster, MacAddress, String, Inet4Address)}, named and addressed by the
     * cluster's {@link Discovery} rules.
     *
     * @throws IllegalStateException if discovery is off
     * @throws ClusterConfigException if no address is free, or as the other form
     */
    static Cluster adopt(Cluster current, MacAddress mac) {
        Discovery d = current.extension(Discovery.class).orElseThrow(() -> new IllegalStateException(
                "cluster " + current.name() + " has no discovery settings (naming rules): add .with(Discovery.builder()...) or adopt with a name and address"));
        String name = d.nextName(current);
        Inet4Address address = d.nextAddress(current, Set.of()).orElseThrow(() -> new ClusterConfigException(current.name(),
                List.of("no free address for an adopted node in " + d.addressFirst().map(Ipv4::format).orElse("the subnet")
                        + d.addressLast().map(a -> "-" + Ipv4.format(a)).orElse(""))));
        return adopt(current, mac, name, address);
    }
}
