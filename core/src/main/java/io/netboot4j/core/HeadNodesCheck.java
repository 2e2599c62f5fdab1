package io.netboot4j.core;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks {@link HeadNodes} against the whole cluster, and cuts a head's part out of it. */
final class HeadNodesCheck {

    private HeadNodesCheck() {
    }

    static void validate(HeadNodes heads, Cluster cluster, List<String> problems) {
        List<Ipv4Network> subnets = subnets(cluster.network());
        if (heads.head(heads.collector()).isEmpty()) {
            problems.add("collector '" + heads.collector() + "' is not one of the head nodes " + names(heads));
        }
        List<Inet4Address> seen = new ArrayList<>();
        for (HeadNode h : heads.heads()) {
            String a = Ipv4.format(h.address());
            Optional<Ipv4Network> on = subnets.stream().filter(s -> s.contains(h.address())).findFirst();
            if (on.isEmpty()) {
                problems.add("head node " + h.name() + " address " + a + " is on no subnet of the cluster " + subnets);
            } else if (on.get().prefixLength() < 31 && (h.address().equals(on.get().network()) || h.address().equals(on.get().broadcast()))) {
                problems.add("head node " + h.name() + " address " + a + " is the network or broadcast address of " + on.get());
            }
            if (seen.contains(h.address())) {
                problems.add("head node " + h.name() + " address " + a + " is another head node's address");
            }
            seen.add(h.address());
            cluster.nodeByAddress(h.address()).ifPresent(n -> problems.add("head node " + h.name() + " address " + a
                    + " is the address of node " + n.hostname()));
            for (Ipv4Network s : h.subnets()) {
                if (!subnets.contains(s)) {
                    problems.add("head node " + h.name() + " serves subnet " + s + ", which is not a subnet of the cluster " + subnets);
                }
            }
            for (String g : h.groups()) {
                if (cluster.group(g).isEmpty()) {
                    problems.add("head node " + h.name() + " serves node group " + g + ", which is not a group of the cluster");
                }
            }
            for (String n : h.nodes()) {
                if (cluster.nodeByName(n).isEmpty()) {
                    problems.add("head node " + h.name() + " serves node " + n + ", which is not a node of the cluster");
                }
            }
        }
        for (String g : heads.heads().stream().flatMap(h -> h.groups().stream()).distinct().toList()) {
            List<String> by = heads.heads().stream().filter(h -> h.groups().contains(g)).map(HeadNode::name).toList();
            if (by.size() > 1) {
                problems.add("node group " + g + " is served by several head nodes " + by + ": name each node's head with nodes(..) instead");
            }
        }
        for (Ipv4Network s : subnets) {
            List<String> by = heads.heads().stream().filter(h -> h.subnets().contains(s)).map(HeadNode::name).toList();
            if (by.size() > 1) {
                problems.add("subnet " + s + " is served by several head nodes " + by + ": name each node's head with nodes(..) instead");
            }
        }
        for (HeadNode h : heads.heads()) {
            if (cluster.nodes().stream().noneMatch(n -> heads.headOf(n).filter(h::equals).isPresent())) {
                problems.add("head node " + h.name() + " serves no node: give it a subnet or nodes, or leave it out");
            }
        }
        for (Node n : cluster.nodes()) {
            List<String> naming = heads.heads().stream().filter(h -> h.names(n)).map(HeadNode::name).toList();
            if (naming.size() > 1) {
                problems.add("node " + n.hostname() + " is named by several head nodes " + naming);
            } else if (naming.isEmpty() && heads.heads().stream().noneMatch(h -> h.servesGroupOf(n) || h.servesSubnetOf(n))) {
                problems.add("node " + n.hostname() + " (" + Ipv4.format(n.address()) + ") is served by no head node: "
                        + "add its subnet or its name to one");
            }
        }
    }

    static Cluster part(Cluster whole, HeadNodes heads, HeadNode head) {
        Network w = whole.network();
        List<Node> nodes = whole.nodes().stream().filter(n -> heads.headOf(n).filter(head::equals).isPresent()).toList();
        Ipv4Network home = subnets(w).stream().filter(s -> s.contains(head.address())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("head node " + head.name() + " is on no subnet of cluster " + whole.name()));
        Set<Ipv4Network> others = new LinkedHashSet<>(head.subnets());
        nodes.forEach(n -> subnets(w).stream().filter(s -> s.contains(n.address())).forEach(others::add));
        others.remove(home);
        List<RelayedSubnet> relayed = others.stream().map(s -> relayed(w, s)).toList();
        boolean main = home.equals(w.subnet());
        Inet4Address router = main ? (w.router().equals(w.server()) ? head.address() : w.router()) : relayed(w, home).router();
        List<Inet4Address> dns = w.dnsServers().equals(List.of(w.server())) ? List.of(head.address()) : w.dnsServers();
        Network net = new Network(head.interfaceName(), home, head.address(), router, dns, w.domain(), w.serverName(), relayed);
        List<ClusterExtension> extensions = whole.extensions().stream().filter(e -> !(e instanceof HeadNodes)).toList();
        Cluster part = new Cluster(whole.name(), net, nodes, whole.boot(), whole.rootFilesystem(), whole.ports(), extensions,
                whole.providers(), whole.networkSeam(), whole.workFolder(), whole.budget(), whole.prepared(), whole.groups());
        ClusterBuilder b = part.toBuilder();
        return (whole.prepared() ? b.prepared() : b).build();
    }

    private static RelayedSubnet relayed(Network w, Ipv4Network s) {
        return s.equals(w.subnet()) ? new RelayedSubnet(s, w.router(), List.of(w.router()))
                : w.relayedSubnets().stream().filter(r -> r.subnet().equals(s)).findFirst().orElseThrow();
    }

    private static List<Ipv4Network> subnets(Network n) {
        List<Ipv4Network> all = new ArrayList<>();
        all.add(n.subnet());
        n.relayedSubnets().forEach(r -> all.add(r.subnet()));
        return all;
    }

    private static List<String> names(HeadNodes heads) {
        return heads.heads().stream().map(HeadNode::name).toList();
    }
}
