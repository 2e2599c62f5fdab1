package io.netboot4j.core;

/**
 * What the head node spends on its clients at most, so that a flood, a broken client or
 * a node retrying wildly never stops the cluster's nodes from booting. Set with
 * {@link ClusterBuilder#budget(java.util.function.Consumer)}; servers take their limits
 * from it through {@link io.netboot4j.core.spi.Admission}.
 *
 * <p>Known nodes first: each node keeps one transfer and one connection of its own that
 * nobody else can take; its further ones, and everything of sources that are not nodes
 * ("unknown sources"), come from the shared rest. Unknown sources together never hold more
 * than {@link #unknownShare()} of the transfers, connections and in-flight bytes, and each
 * of them at most {@link #unknownSources()}; by default they are refused, as
 * {@code deny unknown-clients} does for DHCP.
 *
 * <p>When a limit is reached, a new request is dropped without an answer and counted;
 * clients retry (TFTP and DHCP retransmit, TCP connects again), and nothing already
 * running fails. The defaults fit a 256 MiB heap.
 *
 * {@snippet :
 * Cluster.builder("lab")
 *     // ...
 *     .budget(b -> b.transfers(128).connections(256).inFlightBytes(32L << 20)
 *             .perNode(new HeadBudget.SourceLimit(4, 16, 50))
 *             .unknownSources(new HeadBudget.SourceLimit(1, 1, 5)));
 * }
 *
 * @param transfers boot-file transfers (TFTP, HTTP) running at once, default {@value #DEFAULT_TRANSFERS}
 *     (more if the cluster has more than half as many nodes: at least two per node)
 * @param connections TCP connections open at once (NFS, MOUNT, portmap, HTTP), default
 *     {@value #DEFAULT_CONNECTIONS} (at least four per node)
 * @param inFlightBytes buffers for data under way (transfer windows, RPC records), default 64 MiB
 * @param perNode what each node may hold and ask at most
 * @param unknownSources what each source that is not a node may hold and ask at most;
 *     {@link SourceLimit#REFUSED} by default
 * @param unknownShare the part (0 to 0.5) of transfers, connections and in-flight bytes that
 *     unknown sources may hold together, default {@value #DEFAULT_UNKNOWN_SHARE}
 */
public record HeadBudget(int transfers, int connections, long inFlightBytes, SourceLimit perNode,
                         SourceLimit unknownSources, double unknownShare) {

    /** Default {@link #transfers()} for clusters of up to 128 nodes. */
    public static final int DEFAULT_TRANSFERS = 256;
    /** Default {@link #connections()} for clusters of up to 128 nodes. */
    public static final int DEFAULT_CONNECTIONS = 512;
    /** Default {@link #inFlightBytes()}: 64 MiB. */
    public static final long DEFAULT_IN_FLIGHT_BYTES = 64L << 20;
    /** Default {@link #unknownShare()}. */
    public static final double DEFAULT_UNKNOWN_SHARE = 0.125;
    /** Default {@link #perNode()}: 4 transfers, 16 connections, 50 requests a second. */
    public static final SourceLimit DEFAULT_PER_NODE = new SourceLimit(4, 16, 50);

    /** The defaults for a cluster of {@code nodes} nodes. */
    public static HeadBudget defaults(int nodes) {
        return new HeadBudget(Math.max(DEFAULT_TRANSFERS, 2 * nodes), Math.max(DEFAULT_CONNECTIONS, 4 * nodes),
                DEFAULT_IN_FLIGHT_BYTES, DEFAULT_PER_NODE, SourceLimit.REFUSED, DEFAULT_UNKNOWN_SHARE);
    }

    /** @throws IllegalArgumentException if a number is out of range or a limit is null */
    public HeadBudget {
        if (transfers < 1) {
            throw new IllegalArgumentException("budget transfers " + transfers + " must be at least 1");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("budget connections " + connections + " must be at least 1");
        }
        if (inFlightBytes < 65536) {
            throw new IllegalArgumentException("budget inFlightBytes " + inFlightBytes + " must be at least 65536 (one TFTP window)");
        }
        if (perNode == null || unknownSources == null) {
            throw new IllegalArgumentException("budget perNode and unknownSources must not be null");
        }
        if (perNode.transfers() < 1 || perNode.connections() < 1 || perNode.requestsPerSecond() < 1) {
            throw new IllegalArgumentException("budget perNode " + perNode + " must allow each node at least one transfer, "
                    + "one connection and one request a second");
        }
        if (!(unknownShare >= 0 && unknownShare <= 0.5)) {
            throw new IllegalArgumentException("budget unknownShare " + unknownShare + " must be between 0 and 0.5");
        }
    }

    /** Whether sources that are not nodes are refused outright. */
    public boolean refusesUnknownSources() {
        return unknownSources.refused() || unknownShare == 0;
    }

    /**
     * What one source may hold and ask at most.
     *
     * @param transfers boot-file transfers at once (0 refuses transfers)
     * @param connections TCP connections at once (0 refuses connections)
     * @param requestsPerSecond new requests (DHCP packets, TFTP requests, TCP connections, HTTP
     *     requests) a second, with bursts of as many again; 0 refuses every request
     */
    public record SourceLimit(int transfers, int connections, int requestsPerSecond) {

        /** Nothing at all: every request of such a source is dropped. */
        public static final SourceLimit REFUSED = new SourceLimit(0, 0, 0);

        /** @throws IllegalArgumentException if a number is negative */
        public SourceLimit {
            if (transfers < 0 || connections < 0 || requestsPerSecond < 0) {
                throw new IllegalArgumentException("source limit " + transfers + " transfers, " + connections
                        + " connections, " + requestsPerSecond + " requests/s must not be negative");
            }
        }

        /** Whether this limit refuses every request. */
        public boolean refused() {
            return requestsPerSecond == 0;
        }
    }

    /**
     * Sets a {@link HeadBudget} part by part; what is not set keeps its default. Each
     * setter checks its argument at once; {@link ClusterBuilder#build()} checks the budget
     * against the nodes.
     */
    public static final class Builder {
        private Integer transfers;
        private Integer connections;
        private Long inFlightBytes;
        private SourceLimit perNode;
        private SourceLimit unknownSources;
        private Double unknownShare;

        Builder() {
        }

        static Builder from(HeadBudget b, int nodes) {
            Builder r = new Builder();
            if (!b.equals(defaults(nodes))) {
                r.transfers = b.transfers;
                r.connections = b.connections;
                r.inFlightBytes = b.inFlightBytes;
                r.perNode = b.perNode;
                r.unknownSources = b.unknownSources;
                r.unknownShare = b.unknownShare;
            }
            return r;
        }

        /**
         * Boot-file transfers running at once; see {@link HeadBudget#transfers()}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder transfers(int count) {
            positive(count, "transfers");
            this.transfers = count;
            return this;
        }

        /**
         * TCP connections open at once; see {@link HeadBudget#connections()}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder connections(int count) {
            positive(count, "connections");
            this.connections = count;
            return this;
        }

        /**
         * Bytes of data under way at once; see {@link HeadBudget#inFlightBytes()}.
         *
         * @throws IllegalArgumentException if below 65536
         */
        public Builder inFlightBytes(long bytes) {
            if (bytes < 65536) {
                throw new IllegalArgumentException("budget inFlightBytes " + bytes + " must be at least 65536 (one TFTP window)");
            }
            this.inFlightBytes = bytes;
            return this;
        }

        /**
         * What each node may hold and ask at most; default {@link HeadBudget#DEFAULT_PER_NODE}.
         *
         * @throws IllegalArgumentException if null or if it does not allow a node one transfer,
         *     one connection and one request a second
         */
        public Builder perNode(SourceLimit limit) {
            if (limit == null || limit.transfers() < 1 || limit.connections() < 1 || limit.requestsPerSecond() < 1) {
                throw new IllegalArgumentException("budget perNode " + limit + " must allow each node at least one transfer, "
                        + "one connection and one request a second");
            }
            this.perNode = limit;
            return this;
        }

        /**
         * What each source that is not a node may hold and ask at most; default
         * {@link SourceLimit#REFUSED}.
         *
         * @throws IllegalArgumentException if null
         */
        public Builder unknownSources(SourceLimit limit) {
            if (limit == null) {
                throw new IllegalArgumentException("budget unknownSources must not be null (use SourceLimit.REFUSED)");
            }
            this.unknownSources = limit;
            return this;
        }

        /**
         * The part of the budget unknown sources may hold together; see {@link HeadBudget#unknownShare()}.
         *
         * @throws IllegalArgumentException if outside 0 to 0.5
         */
        public Builder unknownShare(double share) {
            if (!(share >= 0 && share <= 0.5)) {
                throw new IllegalArgumentException("budget unknownShare " + share + " must be between 0 and 0.5");
            }
            this.unknownShare = share;
            return this;
        }

        private static void positive(int count, String what) {
            if (count < 1) {
                throw new IllegalArgumentException("budget " + what + " " + count + " must be at least 1");
            }
        }

        HeadBudget build(int nodes, java.util.List<String> problems) {
            HeadBudget d = defaults(nodes);
            HeadBudget b = new HeadBudget(transfers == null ? d.transfers : transfers,
                    connections == null ? d.connections : connections,
                    inFlightBytes == null ? d.inFlightBytes : inFlightBytes, perNode == null ? d.perNode : perNode,
                    unknownSources == null ? d.unknownSources : unknownSources,
                    unknownShare == null ? d.unknownShare : unknownShare);
            if (b.transfers < nodes) {
                problems.add("budget transfers " + b.transfers + " is less than the " + nodes
                        + " nodes: each node keeps one transfer of its own");
            }
            if (b.connections < nodes) {
                problems.add("budget connections " + b.connections + " is less than the " + nodes
                        + " nodes: each node keeps one connection of its own");
            }
            return b;
        }
    }
}
