package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KerrighedTest {

    @Test
    void kernelArgumentsAreSessionAndLastOctet() {
        Cluster c = Guide.cluster();
        assertThat(c.kernelArguments(c.nodes().getFirst())).containsExactly("console=tty1", "root=/dev/nfs",
                "nfsroot=192.168.1.1:/nfsroot/kerrighed,vers=3,tcp", "ip=dhcp", "rw", "session_id=1", "node_id=101");
        assertThat(c.nodes()).extracting(Kerrighed::nodeId).containsExactly(101, 102, 103, 104, 105, 106);
        assertThat(c.extension(Kerrighed.class).orElseThrow().kernelArguments(c, c.nodes().get(5)))
                .containsExactly("session_id=1", "node_id=106");
    }

    @Test
    void minimumDefaultsToNodeCount() {
        Cluster c = Guide.clusterBuilder().with(Kerrighed.session(7)).build();
        Kerrighed k = c.extension(Kerrighed.class).orElseThrow();
        assertThat(k.minimumNodes(c)).isEqualTo(6);
        assertThat(k.minimumNodesSetting()).isEmpty();
        assertThat(k.sessionId()).isEqualTo(7);
        assertThat(k.name()).isEqualTo("kerrighed");
    }

    @Test
    void sessionOutsideRangeIsReportedByBuild() {
        for (int bad : new int[] {0, 255, -1}) {
            assertThatThrownBy(() -> Guide.clusterBuilder().with(Kerrighed.session(bad)).build())
                    .isInstanceOf(ClusterConfigException.class)
                    .satisfies(e -> assertThat(((ClusterConfigException) e).problems())
                            .containsExactly("kerrighed session id " + bad + " is outside 1–254"));
        }
        Guide.clusterBuilder().with(Kerrighed.session(1)).build();
        Guide.clusterBuilder().with(Kerrighed.session(254)).build();
    }

    @Test
    void minimumOutsideNodeCountIsReported() {
        assertThatThrownBy(() -> Guide.clusterBuilder().with(Kerrighed.session(1).minimumNodes(7)).build())
                .satisfies(e -> assertThat(((ClusterConfigException) e).problems())
                        .containsExactly("kerrighed minimumNodes (nbmin) 7 is outside 1–6 (the cluster has 6 nodes)"));
        assertThatThrownBy(() -> Guide.clusterBuilder().with(Kerrighed.session(300).minimumNodes(0)).build())
                .satisfies(e -> assertThat(((ClusterConfigException) e).problems()).containsExactly(
                        "kerrighed session id 300 is outside 1–254",
                        "kerrighed minimumNodes (nbmin) 0 is outside 1–6 (the cluster has 6 nodes)"));
    }

    @Test
    void minimumSetTwiceIsIllegalState() {
        assertThatThrownBy(() -> Kerrighed.session(1).minimumNodes(2).minimumNodes(3))
                .isInstanceOf(IllegalStateException.class).hasMessage("minimumNodes was already set to 2");
    }

    @Test
    void nodeIdsMustBeUniqueAndValid() {
        var b = Cluster.builder("big")
                .network(n -> n.interfaceName("eth0").subnet("10.0.0.0/16").server("10.0.0.1"))
                .node("a", "02:00:00:00:00:01", "10.0.0.5")
                .node("b", "02:00:00:00:00:02", "10.0.1.5")
                .node("c", "02:00:00:00:00:03", "10.0.1.0")
                .node("d", "02:00:00:00:00:04", "10.0.2.255")
                .node("e", "02:00:00:00:00:05", "10.0.3.9", "node_id=4")
                .boot(x -> x.kernel(Path.of("/k")))
                .rootFilesystem(r -> r.path("/r"))
                .with(Kerrighed.session(1));
        assertThatThrownBy(b::build).satisfies(e -> assertThat(((ClusterConfigException) e).problems()).containsExactly(
                "kerrighed node id 5 is shared by a and b: node ids are the last octet of the address and must differ",
                "kerrighed node id of c would be 0 (last octet of 10.0.1.0); node ids are 1–254: give the node another address",
                "kerrighed node id of d would be 255 (last octet of 10.0.2.255); node ids are 1–254: give the node another address",
                "node e sets 'node_id=4' itself; the kerrighed extension sets session_id and node_id"));
    }

    @Test
    void valueSemantics() {
        assertThat(Kerrighed.session(1).minimumNodes(6)).isEqualTo(Kerrighed.session(1).minimumNodes(6))
                .hasSameHashCodeAs(Kerrighed.session(1).minimumNodes(6))
                .isNotEqualTo(Kerrighed.session(1)).hasToString("Kerrighed[session=1, nbmin=6]");
        assertThat(Kerrighed.session(2)).hasToString("Kerrighed[session=2]");
    }

    @Test
    void survivesToBuilder() {
        Cluster c = Guide.cluster();
        assertThat(c.toBuilder().build().extension(Kerrighed.class)).contains(Kerrighed.session(1).minimumNodes(6));
    }
}
