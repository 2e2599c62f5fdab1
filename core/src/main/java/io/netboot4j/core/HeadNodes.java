package io.netboot4j.core;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Service nodes: one cluster description served by several head nodes, each for its part
 * (its subnets, or nodes named explicitly), as xCAT and Warewulf split a large cluster per
 * rack. Add it to the whole description with {@link ClusterBuilder#with(ClusterExtension)};
 * {@link ClusterBuilder#build()} then checks that every node is served by exactly one head,
 * that each head sits on a subnet of the cluster, and lists every problem. Each head process
 * starts {@link #part(Cluster, String) its part}; one of them (the collector) gathers every
 * head's node states into one table ({@link StatusCollector}, fed by {@link StatusReporter}).
 *
 * {@snippet :
 * Cluster whole = Cluster.builder("big")
 *     .network(n -> n.interfaceName("eth0").subnet("10.1.0.0/24").server("10.1.0.1")
 *             .relayedSubnet("10.2.0.0/24", "10.2.0.1"))
 *     .node("n1", "52:54:00:00:01:11", "10.1.0.11")
 *     .node("n2", "52:54:00:00:02:11", "10.2.0.11")
 *     .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
 *     .rootFilesystem(r -> r.path("/nfsroot/big"))
 *     .with(HeadNodes.builder()
 *             .head("head1", "10.1.0.1", "eth0", h -> h.subnet("10.1.0.0/24"))
 *             .head("head2", "10.2.0.1", "eth0", h -> h.subnet("10.2.0.0/24"))
 *             .build())
 *     .build();
 * // on head2 ("I am head2"):
 * HeadNodes heads = whole.extension(HeadNodes.class).orElseThrow();
 * try (RunningCluster running = heads.part(whole, "head2").start();
 *      StatusReporter reporter = StatusReporter.start(running, heads, "head2")) { ... }
 * }
 *
 * @param heads the head nodes, in the order they were added
 * @param collector the name of the head whose {@link StatusCollector} gathers the status reports
 * @param feedPort the UDP port the collector listens on
 * @param reportInterval how often each head sends every row of its part again (it also sends a
 *     row at once when it changes); the collector marks a head silent after three intervals
 */
public record HeadNodes(List<HeadNode> heads, String collector, int feedPort, Duration reportInterval) implements ClusterExtension {

    /** The default {@link #feedPort()}. */
    public static final int DEFAULT_FEED_PORT = 4811;

    /** Copies the list. Use {@link #builder()}: this constructor does not validate. */
    public HeadNodes {
        heads = List.copyOf(heads);
    }

    /** Starts describing the head nodes. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "head nodes";
    }

    /** The head named {@code name} (case-insensitive), if any. */
    public Optional<HeadNode> head(String name) {
        return heads.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * The head that serves {@code node}: the one naming it, else the one serving its node group,
     * else the one serving its subnet (the first, if several do).
     */
    public Optional<HeadNode> headOf(Node node) {
        Optional<HeadNode> named = heads.stream().filter(h -> h.names(node)).findFirst();
        if (named.isPresent()) {
            return named;
        }
        Optional<HeadNode> byGroup = heads.stream().filter(h -> h.servesGroupOf(node)).findFirst();
        return byGroup.isPresent() ? byGroup : heads.stream().filter(h -> h.servesSubnetOf(node)).findFirst();
    }

    /** Where the collector listens: the collector head's address and {@link #feedPort()}. */
    public InetSocketAddress collectorAddress() {
        return new InetSocketAddress(head(collector).orElseThrow().address(), feedPort);
    }

    @Override
    public void validate(Cluster cluster, List<String> problems) {
        HeadNodesCheck.validate(this, cluster, problems);
    }

    /**
     * The part of {@code whole} that head {@code name} serves, as a cluster that head starts:
     * its nodes only; its network is the head's ({@link HeadNode#interfaceName()}, the subnet
     * its address is on, its address as the server, that subnet's router), with the other
     * subnets of its nodes as relayed subnets. Boot profile, root filesystem, providers, ports,
     * the other extensions, network seam and work folder are the whole's (set the head's own
     * seam and work folder with {@link Cluster#toBuilder()}).
     *
     * @throws IllegalArgumentException if {@code whole} has no head named {@code name}, or
     *     this is not {@code whole}'s extension
     * @throws ClusterConfigException if the part is not a valid cluster, listing every problem
     */
    public Cluster part(Cluster whole, String name) {
        if (!whole.extensions().contains(this)) {
            throw new IllegalArgumentException("these head nodes are not an extension of cluster " + whole.name());
        }
        HeadNode head = head(name).orElseThrow(() -> new IllegalArgumentException("cluster " + whole.name() + " has no head node '"
                + name + "'; its heads: " + heads.stream().map(HeadNode::name).toList()));
        return HeadNodesCheck.part(whole, this, head);
    }

    /**
     * Describes head nodes; each setter checks its argument at once.
     */
    public static final class Builder {

        private final Map<String, HeadNode> heads = new LinkedHashMap<>();
        private String collector;
        private int feedPort = DEFAULT_FEED_PORT;
        private Duration reportInterval = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Adds a head node.
         *
         * @param name an RFC 1123 label, for example {@code head2}
         * @param address its address on the cluster network
         * @param interfaceName its interface on that network
         * @param spec says what it serves: {@link Part#subnet(String)}, {@link Part#group(String)}, {@link Part#nodes(String...)}
         * @throws IllegalArgumentException if the name, address, interface name or a subnet is malformed
         * @throws IllegalStateException if a head of that name was added
         */
        public Builder head(String name, String address, String interfaceName, Consumer<Part> spec) {
            if (name == null || !Hostname.isValid(name) || name.contains(".")) {
                throw new IllegalArgumentException("head node name '" + name + "' must be one RFC 1123 label");
            }
            Inet4Address a = Ipv4.parse(address);
            if (interfaceName == null || interfaceName.isBlank() || interfaceName.length() > 15 || interfaceName.contains("/")) {
                throw new IllegalArgumentException("interface name '" + interfaceName + "' of head node " + name
                        + " must be 1 to 15 characters without '/'");
            }
            if (heads.containsKey(name.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalStateException("head node " + name + " was already added");
            }
            Part part = new Part();
            spec.accept(part);
            heads.put(name.toLowerCase(java.util.Locale.ROOT), new HeadNode(name, a, interfaceName, part.subnets, part.nodes, part.groups));
            return this;
        }

        /**
         * Names the head whose {@link StatusCollector} gathers every head's reports; default the first head.
         *
         * @throws IllegalStateException if set twice
         */
        public Builder collector(String headName) {
            if (collector != null) {
                throw new IllegalStateException("collector was already set");
            }
            collector = java.util.Objects.requireNonNull(headName, "headName");
            return this;
        }

        /**
         * The collector's UDP port; default {@value HeadNodes#DEFAULT_FEED_PORT}.
         *
         * @throws IllegalArgumentException if outside 1-65535
         */
        public Builder feedPort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("feed port " + port + " must be 1-65535");
            }
            feedPort = port;
            return this;
        }

        /**
         * How often each head sends all its rows again; default 5 s.
         *
         * @throws IllegalArgumentException unless between 100 ms and 10 minutes
         */
        public Builder reportInterval(Duration interval) {
            if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("report interval " + interval + " must be between 100 ms and 10 minutes");
            }
            reportInterval = interval;
            return this;
        }

        /**
         * The head nodes; the cluster's {@code build()} checks them against the nodes and subnets.
         *
         * @throws IllegalStateException if no head was added
         */
        public HeadNodes build() {
            if (heads.isEmpty()) {
                throw new IllegalStateException("no head node: call head(name, address, interface, h -> h.subnet(..))");
            }
            List<HeadNode> list = new ArrayList<>(heads.values());
            return new HeadNodes(list, collector == null ? list.getFirst().name() : collector, feedPort, reportInterval);
        }
    }

    /** What one head serves. */
    public static final class Part {

        private final List<Ipv4Network> subnets = new ArrayList<>();
        private final List<String> nodes = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();

        private Part() {
        }

        /**
         * Serves the nodes of this node group ({@link ClusterBuilder#group}), whatever their subnet.
         *
         * @throws IllegalArgumentException if {@code name} is null or blank
         */
        public Part group(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("node group name '" + name + "' must not be blank");
            }
            groups.add(name);
            return this;
        }

        /**
         * Serves the nodes of this subnet (a subnet of the cluster).
         *
         * @throws IllegalArgumentException if {@code cidr} is malformed
         */
        public Part subnet(String cidr) {
            subnets.add(Ipv4Network.parse(cidr));
            return this;
        }

        /**
         * Serves these nodes, by host name, whatever their subnet.
         *
         * @throws IllegalArgumentException if a name is not a valid host name
         */
        public Part nodes(String... hostnames) {
            for (String h : hostnames) {
                if (h == null || !Hostname.isValid(h)) {
                    throw new IllegalArgumentException("node name '" + h + "' is not a valid host name");
                }
                nodes.add(h);
            }
            return this;
        }
    }
}
