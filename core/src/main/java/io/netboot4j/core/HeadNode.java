package io.netboot4j.core;

import java.net.Inet4Address;
import java.util.List;

/**
 * One head node of a cluster split across several ({@link HeadNodes}): where it sits and
 * which part of the cluster it serves. A node is served by the head that lists it by name,
 * else by the head that serves its node group, else by the head that serves its subnet.
 *
 * @param name the head's name, an RFC 1123 label; the name a head process is started with
 * @param address the head's address on the cluster network: its servers listen there and it
 *     sends its status reports from it
 * @param interfaceName the head's interface on that network
 * @param subnets the subnets whose nodes it serves (the one it sits on, or subnets whose relays
 *     forward to it); may be empty when it serves named nodes only
 * @param nodes the nodes it serves by name, whatever their subnet
 * @param groups the node groups ({@link ClusterBuilder#group}) whose nodes it serves, whatever their subnet
 */
public record HeadNode(String name, Inet4Address address, String interfaceName, List<Ipv4Network> subnets, List<String> nodes,
                       List<String> groups) {

    /** Copies the lists; components are validated by {@link HeadNodes.Builder} and {@link ClusterBuilder#build()}. */
    public HeadNode {
        subnets = List.copyOf(subnets);
        nodes = List.copyOf(nodes);
        groups = List.copyOf(groups);
    }

    /** Whether this head lists {@code node} by name. */
    boolean names(Node node) {
        return nodes.stream().anyMatch(n -> n.equalsIgnoreCase(node.hostname()));
    }

    /** Whether this head serves the node group of {@code node}. */
    boolean servesGroupOf(Node node) {
        return node.group().filter(groups::contains).isPresent();
    }

    /** Whether one of this head's subnets holds {@code node}. */
    boolean servesSubnetOf(Node node) {
        return subnets.stream().anyMatch(s -> s.contains(node.address()));
    }
}
