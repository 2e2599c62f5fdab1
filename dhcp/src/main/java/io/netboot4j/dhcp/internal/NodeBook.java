package io.netboot4j.dhcp.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dhcp4java.DHCPOption;

/**
 * An immutable view of the cluster's nodes for the {@link DhcpEngine}: a running cluster's
 * change replaces the whole book at once, so one request is answered from one description.
 *
 * @param cluster the description it was made from
 * @param nodes the nodes by MAC
 * @param hostNames each node's option 12
 * @param removed nodes removed while running, by MAC, still remembered so that their
 *     renewals are refused (at most {@link #REMOVED_LIMIT}, the oldest forgotten first)
 */
record NodeBook(Cluster cluster, Map<MacAddress, Node> nodes, Map<MacAddress, DHCPOption> hostNames,
                Map<MacAddress, Node> removed) {

    /** How many removed nodes are remembered. */
    static final int REMOVED_LIMIT = 4096;

    /** The book of a cluster as it starts: nothing removed yet. */
    static NodeBook of(Cluster cluster) {
        return of(cluster, Map.of());
    }

    private static NodeBook of(Cluster cluster, Map<MacAddress, Node> removed) {
        Map<MacAddress, Node> nodes = new HashMap<>();
        Map<MacAddress, DHCPOption> names = new HashMap<>();
        for (Node n : cluster.nodes()) {
            nodes.put(n.mac(), n);
            names.put(n.mac(), DHCPOption.newOptionAsString(DhcpEngine.OPT_HOSTNAME, n.hostname()));
        }
        return new NodeBook(cluster, Map.copyOf(nodes), Map.copyOf(names), removed);
    }

    /**
     * The book of {@code next}: nodes whose MAC is no longer in it join the removed ones; a
     * MAC that comes back is a node again.
     */
    NodeBook next(Cluster next) {
        LinkedHashMap<MacAddress, Node> gone = new LinkedHashMap<>(removed);
        nodes.values().forEach(n -> gone.put(n.mac(), n));
        next.nodes().forEach(n -> gone.remove(n.mac()));
        while (gone.size() > REMOVED_LIMIT) {
            gone.remove(gone.keySet().iterator().next());
        }
        return of(next, java.util.Collections.unmodifiableMap(gone));
    }

    /** The node with {@code mac}, or null. */
    Node node(MacAddress mac) {
        return nodes.get(mac);
    }
}
