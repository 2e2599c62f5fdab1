package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Clusters with several subnets: the directly attached one and subnets behind DHCP relays. */
class RelayedSubnetTest {

    private static ClusterBuilder base() {
        return Cluster.builder("multi")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/multi"));
    }

    @Test
    void nodesOnRelayedSubnetsBuildAndEachSubnetKeepsItsRouter() {
        Cluster c = base()
                .network(n -> n.interfaceName("eth0").subnet("10.1.0.0/24").server("10.1.0.1")
                        .relayedSubnet("10.2.0.0/24", "10.2.0.1")
                        .relayedSubnet("10.3.0.0/23", "10.3.0.1", "10.3.1.1"))
                .node("a1", "02:00:00:00:00:01", "10.1.0.11")
                .node("b1", "02:00:00:00:00:02", "10.2.0.11")
                .node("c1", "02:00:00:00:00:03", "10.3.1.11")
                .build();
        assertThat(c.network().relayedSubnets()).extracting(r -> r.subnet().toString()).containsExactly("10.2.0.0/24", "10.3.0.0/23");
        assertThat(c.network().relayedSubnetOf(Ipv4.parse("10.3.1.11"))).get()
                .satisfies(r -> assertThat(r.relays()).extracting(Ipv4::format).containsExactly("10.3.0.1", "10.3.1.1"));
        assertThat(c.network().relayedSubnetOf(Ipv4.parse("10.1.0.11"))).isEmpty();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(() -> base()
                .network(n -> n.interfaceName("eth0").subnet("10.1.0.0/24").server("10.1.0.1")
                        .relayedSubnet("10.1.0.128/25", "10.1.0.129")
                        .relayedSubnet("10.2.0.0/24", "10.9.0.1"))
                .node("a1", "02:00:00:00:00:01", "10.5.0.11")
                .node("b1", "02:00:00:00:00:02", "10.2.0.255")
                .build())
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("subnet 10.1.0.128/25 overlaps subnet 10.1.0.0/24")
                .hasMessageContaining("relay address 10.9.0.1 is not on its subnet 10.2.0.0/24")
                .hasMessageContaining("address 10.5.0.11 is outside every subnet of the cluster (10.1.0.0/24, 10.1.0.128/25, 10.2.0.0/24)")
                .hasMessageContaining("address 10.2.0.255 is the broadcast address of 10.2.0.0/24");
    }

    /** A subnet 10.0.<third>.0/<prefix> (prefix 22-24, so neighbours overlap now and then), its relay, and its nodes' host numbers. */
    record Sub(int third, int prefix, boolean relayOutside, List<Integer> hosts, boolean nodeOutside) {
        String cidr() {
            return "10.0." + (third & ~((1 << (24 - prefix)) - 1)) + ".0/" + prefix;
        }

        Ipv4Network network() {
            return Ipv4Network.parse(cidr());
        }
    }

    @Provide
    Arbitrary<List<Sub>> subnets() {
        Arbitrary<Sub> sub = Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(22, 24),
                Arbitraries.of(true, false, false, false), Arbitraries.integers().between(2, 200).list().ofMaxSize(3).uniqueElements(),
                Arbitraries.of(true, false, false, false)).as(Sub::new);
        return sub.list().ofMinSize(2).ofMaxSize(4);
    }

    @Property(tries = 300)
    void anyClusterWithSeveralSubnetsBuildsOrListsEveryProblem(@ForAll("subnets") List<Sub> subs) {
        List<String> expected = new ArrayList<>();
        Sub attached = subs.getFirst();
        ClusterBuilder b = base().network(n -> {
            n.interfaceName("eth0").subnet(attached.cidr()).server(Ipv4.format(attached.network().host(1)));
            for (Sub s : subs.subList(1, subs.size())) {
                String relay = s.relayOutside() ? "192.168.77.1" : Ipv4.format(s.network().host(1));
                n.relayedSubnet(s.cidr(), relay);
            }
        });
        List<Ipv4Network> seen = new ArrayList<>();
        for (Sub s : subs) {
            for (Ipv4Network other : seen) {
                if (other.contains(s.network().network()) || s.network().contains(other.network())) {
                    expected.add("subnet " + s.network() + " overlaps subnet " + other);
                }
            }
            seen.add(s.network());
            if (s != attached && s.relayOutside()) {
                expected.add("relay address 192.168.77.1 is not on its subnet " + s.network());
            }
        }
        int mac = 1;
        java.util.Set<java.net.Inet4Address> used = new java.util.HashSet<>();
        for (Sub s : subs) {
            for (int h : s.hosts()) {
                java.net.Inet4Address a = s.network().host(h);
                if (!used.add(a) || subs.stream().anyMatch(o -> o != s && o.network().contains(a))) {
                    continue; // a duplicate or ambiguous address: another rule, not this property's
                }
                b.node("n" + mac, String.format("02:00:00:00:01:%02x", mac), Ipv4.format(a));
                mac++;
            }
            if (s.nodeOutside()) {
                String outside = "172.16." + mac + ".5";
                b.node("n" + mac, String.format("02:00:00:00:01:%02x", mac), outside);
                expected.add("address " + outside + " is outside every subnet of the cluster");
                mac++;
            }
        }
        if (mac == 1) {
            expected.add("no nodes");
        }
        if (expected.isEmpty()) {
            Cluster c = b.build();
            assertThat(c.network().relayedSubnets()).hasSize(subs.size() - 1);
        } else {
            assertThatThrownBy(b::build).isInstanceOf(ClusterConfigException.class).satisfies(e -> {
                for (String problem : expected) {
                    assertThat(((ClusterConfigException) e).problems()).anyMatch(p -> p.contains(problem));
                }
            });
        }
    }
}
