package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.nfsroot.internal.ExportRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Nodes on relayed subnets mount the root too: the default export covers every subnet of the cluster. */
class RelayedSubnetExportTest {

    @Test
    void theDefaultExportListsEverySubnet() {
        Cluster c = Cluster.builder("multi")
                .network(n -> n.interfaceName("eth0").subnet("10.1.0.0/24").server("10.1.0.1").relayedSubnet("10.2.0.0/24", "10.2.0.1"))
                .node("far", "02:00:00:00:00:02", "10.2.0.11")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/multi"))
                .build();
        assertThat(NfsExports.rules(c)).extracting(ExportRule::client).containsExactly("10.1.0.0/24", "10.2.0.0/24");
        assertThat(NfsExports.rules(c)).allSatisfy(r -> assertThat(r.readWrite()).isEqualTo(c.rootFilesystem().readWrite()));
    }
}
