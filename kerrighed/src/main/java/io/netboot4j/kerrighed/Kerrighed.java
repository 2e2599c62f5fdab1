package io.netboot4j.kerrighed;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterExtension;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Kerrighed's settings for a cluster: the session id every node shares and the number of
 * nodes that must be up before the cluster starts by itself (the guide's section 2.2).
 * Added to a cluster with {@code ClusterBuilder.with(...)}:
 *
 * {@snippet :
 * Cluster cluster = Cluster.builder("kerrighed")
 *     // network, nodes, boot, root filesystem ...
 *     .with(Kerrighed.session(1).minimumNodes(6))
 *     .build();
 * }
 *
 * <p>Each node's Kerrighed node id is the last octet of its address, as the guide
 * explains ({@code 192.168.1.101} is node {@code 101}); it is passed to the node's
 * kernel as {@code node_id=101}, next to {@code session_id=1}.
 *
 * <p>The value is immutable. The factory and {@link #minimumNodes(int)} accept any
 * number; {@link #validate(Cluster, List)}, called by {@code ClusterBuilder.build()},
 * reports every rule broken together with the cluster's other problems.
 */
public final class Kerrighed implements ClusterExtension {

    /** Lowest session id Kerrighed accepts. */
    public static final int MIN_SESSION = 1;
    /** Highest session id Kerrighed accepts (the guide: "Value can be 1 - 254"). */
    public static final int MAX_SESSION = 254;

    private final int session;
    private final OptionalInt minimumNodes;

    private Kerrighed(int session, OptionalInt minimumNodes) {
        this.session = session;
        this.minimumNodes = minimumNodes;
    }

    /**
     * Kerrighed settings with this session id; {@code nbmin} defaults to the number of
     * nodes in the cluster.
     *
     * @param session the cluster's session id, 1–254 (checked by {@code build()})
     */
    public static Kerrighed session(int session) {
        return new Kerrighed(session, OptionalInt.empty());
    }

    /**
     * The same settings with {@code nbmin}: the number of nodes that must be up before
     * Kerrighed starts the cluster by itself.
     *
     * @param count 1 to the number of nodes in the cluster (checked by {@code build()})
     * @throws IllegalStateException if the minimum was already set
     */
    public Kerrighed minimumNodes(int count) {
        if (minimumNodes.isPresent()) {
            throw new IllegalStateException("minimumNodes was already set to " + minimumNodes.getAsInt());
        }
        return new Kerrighed(session, OptionalInt.of(count));
    }

    /** The session id. */
    public int sessionId() {
        return session;
    }

    /** The minimum set with {@link #minimumNodes(int)}, if any. */
    public OptionalInt minimumNodesSetting() {
        return minimumNodes;
    }

    /** {@code nbmin} for {@code cluster}: the minimum set, or the number of its nodes. */
    public int minimumNodes(Cluster cluster) {
        return minimumNodes.orElse(cluster.nodes().size());
    }

    /** The Kerrighed node id of {@code node}: the last octet of its address. */
    public static int nodeId(Node node) {
        return Ipv4.lastOctet(node.address());
    }

    /** {@return {@code kerrighed}} */
    @Override
    public String name() {
        return "kerrighed";
    }

    /**
     * Reports a session id outside 1–254, a minimum outside 1 to the node count, a node
     * whose id (last address octet) is 0 or 255, two nodes with the same id, and a node
     * that sets {@code session_id=} or {@code node_id=} in its own kernel arguments.
     */
    @Override
    public void validate(Cluster cluster, List<String> problems) {
        if (session < MIN_SESSION || session > MAX_SESSION) {
            problems.add("kerrighed session id " + session + " is outside " + MIN_SESSION + "–" + MAX_SESSION);
        }
        int count = cluster.nodes().size();
        if (minimumNodes.isPresent()) {
            int n = minimumNodes.getAsInt();
            if (n < 1 || n > count) {
                problems.add("kerrighed minimumNodes (nbmin) " + n + " is outside 1–" + count
                        + " (the cluster has " + count + (count == 1 ? " node)" : " nodes)"));
            }
        }
        Map<Integer, String> ids = new HashMap<>();
        for (Node node : cluster.nodes()) {
            int id = nodeId(node);
            if (id == 0 || id == 255) {
                problems.add("kerrighed node id of " + node.hostname() + " would be " + id + " (last octet of "
                        + Ipv4.format(node.address()) + "); node ids are 1–254: give the node another address");
            }
            String previous = ids.putIfAbsent(id, node.hostname());
            if (previous != null) {
                problems.add("kerrighed node id " + id + " is shared by " + previous + " and " + node.hostname()
                        + ": node ids are the last octet of the address and must differ");
            }
            for (String arg : node.kernelArguments()) {
                if (arg.startsWith("session_id=") || arg.startsWith("node_id=")) {
                    problems.add("node " + node.hostname() + " sets '" + arg
                            + "' itself; the kerrighed extension sets session_id and node_id");
                }
            }
        }
    }

    /** {@code session_id=<session> node_id=<last octet of the node's address>}. */
    @Override
    public List<String> kernelArguments(Cluster cluster, Node node) {
        return List.of("session_id=" + session, "node_id=" + nodeId(node));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kerrighed k && k.session == session && k.minimumNodes.equals(minimumNodes);
    }

    @Override
    public int hashCode() {
        return session * 31 + minimumNodes.hashCode();
    }

    @Override
    public String toString() {
        return "Kerrighed[session=" + session + (minimumNodes.isPresent() ? ", nbmin=" + minimumNodes.getAsInt() : "") + "]";
    }
}
