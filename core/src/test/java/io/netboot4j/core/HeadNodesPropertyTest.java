package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any split of a three-subnet cluster across head nodes builds, or lists every problem of the split. */
class HeadNodesPropertyTest {

    private static final int SUBNETS = 3;
    private static final int NODES_PER_SUBNET = 2;

    /** A head: the subnets (0-2) it serves and the nodes (0-5) it names. */
    record Head(Set<Integer> subnets, Set<Integer> named) {
    }

    @Provide
    Arbitrary<List<Head>> heads() {
        Arbitrary<Head> head = Combinators.combine(Arbitraries.integers().between(0, SUBNETS - 1).set().ofMaxSize(2),
                Arbitraries.integers().between(0, SUBNETS * NODES_PER_SUBNET - 1).set().ofMaxSize(2)).as(Head::new);
        return head.list().ofMinSize(1).ofMaxSize(3);
    }

    private static String subnet(int s) {
        return "10.0." + s + ".0/24";
    }

    private static String node(int n) {
        return "n" + n;
    }

    @Property(tries = 300)
    void anySplitBuildsOrListsEveryProblem(@ForAll("heads") List<Head> heads) {
        ClusterBuilder b = Cluster.builder("split")
                .network(n -> n.interfaceName("eth0").subnet(subnet(0)).server("10.0.0.1")
                        .relayedSubnet(subnet(1), "10.0.1.1").relayedSubnet(subnet(2), "10.0.2.1"))
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/split"));
        for (int n = 0; n < SUBNETS * NODES_PER_SUBNET; n++) {
            b.node(node(n), String.format("02:00:00:00:00:%02x", n + 1), "10.0." + (n / NODES_PER_SUBNET) + "." + (10 + n));
        }
        HeadNodes.Builder hb = HeadNodes.builder();
        for (int h = 0; h < heads.size(); h++) {
            Head head = heads.get(h);
            hb.head("head" + h, "10.0." + (h % SUBNETS) + "." + (200 + h), "eth0", p -> {
                head.subnets().forEach(s -> p.subnet(subnet(s)));
                head.named().forEach(n -> p.nodes(node(n)));
            });
        }
        b.with(hb.build());
        List<String> expected = new ArrayList<>();
        for (int s = 0; s < SUBNETS; s++) {
            int subnet = s;
            List<String> by = names(heads, h -> h.subnets().contains(subnet));
            if (by.size() > 1) {
                expected.add("subnet " + subnet(s) + " is served by several head nodes " + by);
            }
        }
        for (int n = 0; n < SUBNETS * NODES_PER_SUBNET; n++) {
            int node = n;
            List<String> naming = names(heads, h -> h.named().contains(node));
            boolean bySubnet = heads.stream().anyMatch(h -> h.subnets().contains(node / NODES_PER_SUBNET));
            if (naming.size() > 1) {
                expected.add("node " + node(n) + " is named by several head nodes " + naming);
            } else if (naming.isEmpty() && !bySubnet) {
                expected.add("node " + node(n) + " (10.0." + (n / NODES_PER_SUBNET) + "." + (10 + n) + ") is served by no head node");
            }
        }
        for (int h = 0; h < heads.size(); h++) {
            int head = h;
            boolean servesOne = false;
            for (int n = 0; n < SUBNETS * NODES_PER_SUBNET; n++) {
                int node = n;
                List<String> naming = names(heads, x -> x.named().contains(node));
                List<String> bySubnet = names(heads, x -> x.subnets().contains(node / NODES_PER_SUBNET));
                String server = !naming.isEmpty() ? naming.getFirst() : bySubnet.isEmpty() ? null : bySubnet.getFirst();
                servesOne |= ("head" + head).equals(server);
            }
            if (!servesOne) {
                expected.add("head node head" + h + " serves no node");
            }
        }
        if (expected.isEmpty()) {
            Cluster whole = b.build();
            HeadNodes built = whole.extension(HeadNodes.class).orElseThrow();
            int total = 0;
            for (HeadNode h : built.heads()) {
                total += built.part(whole, h.name()).nodes().size();
            }
            assertThat(total).as("every node is in exactly one part").isEqualTo(whole.nodes().size());
        } else {
            var thrown = assertThatThrownBy(b::build).isInstanceOf(ClusterConfigException.class);
            expected.forEach(thrown::hasMessageContaining);
        }
    }

    private static List<String> names(List<Head> heads, java.util.function.Predicate<Head> test) {
        List<String> out = new ArrayList<>();
        for (int h = 0; h < heads.size(); h++) {
            if (test.test(heads.get(h))) {
                out.add("head" + h);
            }
        }
        return out;
    }
}
