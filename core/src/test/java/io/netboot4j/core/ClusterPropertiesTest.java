package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Any cluster made of valid parts builds; any single injected defect is reported and named. */
class ClusterPropertiesTest {

    record Parts(int prefix, int networkBase, int nodeCount, long firstMac, String namePrefix) {
    }

    @Provide
    Arbitrary<Parts> parts() {
        return Combinators.combine(
                Arbitraries.integers().between(16, 28),
                Arbitraries.integers(),
                Arbitraries.integers().between(1, 12),
                Arbitraries.longs().between(0, 0xFFFF_FFFF_0000L).map(m -> m & ~(1L << 40)), // unicast
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20))
                .as(Parts::new);
    }

    static ClusterBuilder valid(Parts p) {
        Ipv4Network subnet = Ipv4Network.containing(Ipv4.fromInt(p.networkBase()), p.prefix());
        String server = Ipv4.format(subnet.host(1));
        return Cluster.builder("c" + p.namePrefix())
                .network(n -> n.interfaceName("eth0").subnet(subnet).server(server))
                .nodes(p.namePrefix() + "%d", p.nodeCount(), new MacAddress(p.firstMac()).toString(), Ipv4.format(subnet.host(2)))
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/" + p.namePrefix()));
    }

    @Property(tries = 300)
    void anyClusterOfValidPartsBuilds(@ForAll("parts") Parts p) {
        Cluster c = valid(p).build();
        assertThat(c.nodes()).hasSize(p.nodeCount());
        for (Node n : c.nodes()) {
            assertThat(c.network().subnet().contains(n.address())).isTrue();
            assertThat(c.kernelArguments(n)).contains("root=/dev/nfs", "ip=dhcp");
        }
    }

    @Property(tries = 300)
    void anySingleInjectedDefectIsReportedAndNamed(@ForAll("parts") Parts p, @ForAll @IntRange(min = 0, max = 5) int defect) {
        Ipv4Network subnet = Ipv4Network.containing(Ipv4.fromInt(p.networkBase()), p.prefix());
        ClusterBuilder b = valid(p);
        String free = Ipv4.format(subnet.host(subnet.size() - 2));
        String otherMac = new MacAddress(p.firstMac()).plus(100).toString();
        String expected;
        switch (defect) {
            case 0 -> {
                b.node("dupmac", new MacAddress(p.firstMac()).toString(), free);
                expected = "duplicate MAC address " + new MacAddress(p.firstMac());
            }
            case 1 -> {
                b.node("dupaddr", otherMac, Ipv4.format(subnet.host(2)));
                expected = "duplicate address " + Ipv4.format(subnet.host(2));
            }
            case 2 -> {
                b.node(p.namePrefix() + "1", otherMac, free);
                expected = "duplicate host name " + p.namePrefix() + "1";
            }
            case 3 -> {
                String outside = Ipv4.format(Ipv4.plus(subnet.broadcast(), 1));
                b.node("outside", otherMac, outside);
                expected = "node outside address " + outside + " is outside the subnet";
            }
            case 4 -> {
                b.node("onserver", otherMac, Ipv4.format(subnet.host(1)));
                expected = "node onserver address " + Ipv4.format(subnet.host(1)) + " is the server's own address";
            }
            default -> {
                b.node("group", "03:00:00:00:00:00", free);
                expected = "node group has MAC address 03:00:00:00:00:00, a group (multicast) address";
            }
        }
        var e = catchThrowableOfType(ClusterConfigException.class, b::build);
        assertThat(e).as("defect %d must be reported", defect).isNotNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().getFirst()).startsWith(expected);
    }
}
