package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster.start() picks the embedded server by default; its events move the node to ADDRESSED. */
@Tag("integration")
class RunningClusterTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        TestNet.assumeUdhcpc();
    }

    /** Stand-ins for the other concerns, which live in other modules. */
    record Nothing(String name) implements BootFileService, RootExport {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theEmbeddedServerIsTheDefaultAndItsEventsFoldIntoNodeStates() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace client = net.client("br0", TestClusters.NODE1_MAC);
            BootFileServiceProvider files = new BootFileServiceProvider() {
                @Override public String name() { return "none"; }
                @Override public BootFileService create(ServiceContext c) { return new Nothing("no boot files"); }
            };
            RootExportProvider root = new RootExportProvider() {
                @Override public String name() { return "none"; }
                @Override public RootExport create(ServiceContext c) { return new Nothing("no root export"); }
            };
            Cluster cluster = TestClusters.cluster(net.head.seam(), b -> b.bootFiles(files).rootExport(root).workFolder(tmp));
            try (RunningCluster running = cluster.start()) {
                assertThat(running.services()).extracting(s -> s.name()).containsExactly("no root export", "no boot files", "embedded DHCP");
                assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.OFF);
                CommandResult r = TestNet.udhcpc(client, TestNet.envScript(tmp));
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(running.await("kerrighednode1", NodeState.ADDRESSED, Duration.ofSeconds(10)).state())
                        .isEqualTo(NodeState.ADDRESSED);
                assertThat(running.status("kerrighednode2").state()).isEqualTo(NodeState.OFF);
                assertThat(running.services().getLast().endpoints()).containsKey("dhcp");
            }
        }
    }
}
