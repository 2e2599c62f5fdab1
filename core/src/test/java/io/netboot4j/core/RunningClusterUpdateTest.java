package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunningCluster#update(Cluster)}: checked first, applied to every service or none, the node table follows. */
class RunningClusterUpdateTest {

    final List<String> applied = new CopyOnWriteArrayList<>();
    final AtomicReference<ServiceContext> context = new AtomicReference<>();

    /** A service that applies changes, or refuses them when {@code live} is false. */
    class Live implements AddressAllocation, BootFileService, RootExport {
        final String name;
        final boolean live;

        Live(String name, boolean live) {
            this.name = name;
            this.live = live;
        }

        @Override public String name() { return name; }
        @Override public void start() { }
        @Override public void close() { }
        @Override public boolean supportsUpdate(Cluster next) { return live; }
        @Override public void update(Cluster next) {
            if (!live) {
                AddressAllocation.super.update(next);
            }
            applied.add(name + " " + next.nodes().size());
        }
    }

    ClusterBuilder cluster(Path work, boolean nfsLive) {
        return GuideCluster.builder().workFolder(work)
                .rootExport(new RootExportProvider() {
                    @Override public String name() { return "test-nfs"; }
                    @Override public RootExport create(ServiceContext c) {
                        context.set(c);
                        return new Live("test NFS", nfsLive);
                    }
                })
                .bootFiles(new BootFileServiceProvider() {
                    @Override public String name() { return "test-tftp"; }
                    @Override public BootFileService create(ServiceContext c) { return new Live("test TFTP", true); }
                })
                .addressAllocation(new AddressAllocationProvider() {
                    @Override public String name() { return "test-dhcp"; }
                    @Override public AddressAllocation create(ServiceContext c) { return new Live("test DHCP", true); }
                });
    }

    static Inet4Address ip(String s) {
        return Ipv4.parse(s);
    }

    @Test
    void nodesAreAddedRemovedAndChangedEverywhereAndTheTableFollows(@TempDir Path work) throws Exception {
        List<BootEvent> seen = new CopyOnWriteArrayList<>();
        try (RunningCluster running = cluster(work, true).build().start(seen::add)) {
            var emit = context.get().events();
            emit.onEvent(new BootEvent.NodeUp(Instant.now(), ip("192.168.1.101"), "test"));
            emit.onEvent(new BootEvent.NodeUp(Instant.now(), ip("192.168.1.103"), "test"));
            Cluster next = running.cluster().toBuilder()
                    .removeNode("kerrighednode2")
                    .removeNode("kerrighednode3").node("kerrighednode3", "02:2D:61:C7:17:88", "192.168.1.103", "quiet")
                    .removeNode("kerrighednode4").node("kerrighednode4", "02:2D:61:C7:17:89", "192.168.1.140")
                    .node("kerrighednode7", "02:2D:61:C7:17:99", "192.168.1.107")
                    .build();

            BootEvent.ClusterUpdated event = running.update(next);

            assertThat(event.added()).containsExactly("kerrighednode7");
            assertThat(event.removed()).containsExactly("kerrighednode2");
            assertThat(event.changed()).containsExactly("kerrighednode3", "kerrighednode4");
            assertThat(applied).containsExactly("test NFS 6", "test TFTP 6", "test DHCP 6");
            assertThat(running.cluster()).isEqualTo(next);
            assertThat(running.statuses()).extracting(s -> s.node().hostname()).containsExactly("kerrighednode1",
                    "kerrighednode5", "kerrighednode6", "kerrighednode3", "kerrighednode4", "kerrighednode7");
            assertThat(running.status("kerrighednode1").state()).as("untouched").isEqualTo(NodeState.UP);
            assertThat(running.status("kerrighednode3").state()).as("only its arguments changed").isEqualTo(NodeState.UP);
            assertThat(running.status("kerrighednode3").node().kernelArguments()).contains("quiet");
            assertThat(running.status("kerrighednode4").state()).as("a new address: a new machine").isEqualTo(NodeState.OFF);
            assertThat(running.status("kerrighednode7").state()).isEqualTo(NodeState.OFF);
            assertThatThrownBy(() -> running.status("kerrighednode2")).isInstanceOf(IllegalArgumentException.class);
            assertThat(running.statusTable()).contains("kerrighednode7").doesNotContain("kerrighednode2");

            emit.onEvent(new BootEvent.AddressAcknowledged(Instant.now(), MacAddress.parse("02:2D:61:C7:17:99"),
                    ip("192.168.1.107"), false));
            assertThat(running.await("kerrighednode7", NodeState.ADDRESSED, Duration.ofSeconds(5)).state())
                    .isEqualTo(NodeState.ADDRESSED);
            assertThat(running.awaitListeners(Duration.ofSeconds(5))).isTrue();
            assertThat(seen).contains(event);
        }
    }

    @Test
    void settingsThatCannotChangeLiveAreAllNamedAndNothingChanges(@TempDir Path work) {
        try (RunningCluster running = cluster(work, true).build().start()) {
            Cluster before = running.cluster();
            Cluster other = before.toBuilder()
                    .network(n -> n.interfaceName("eth1"))
                    .ports(before.ports().withHttp(8080))
                    .node("kerrighednode7", "02:2D:61:C7:17:99", "192.168.1.107")
                    .build();
            assertThatThrownBy(() -> running.update(other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot change while cluster kerrighed runs")
                    .hasMessageContaining("network").hasMessageContaining("ports");
            assertThat(applied).isEmpty();
            assertThat(running.cluster()).isSameAs(before);
        }
    }

    @Test
    void aServiceThatCannotChangeLiveStopsTheWholeChangeBeforeAnyIsApplied(@TempDir Path work) {
        try (RunningCluster running = cluster(work, false).build().start()) {
            Cluster before = running.cluster();
            Cluster next = before.toBuilder().removeNode("kerrighednode6").build();
            assertThatThrownBy(() -> running.update(next)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("test NFS cannot apply a changed description");
            assertThat(applied).isEmpty();
            assertThat(running.cluster()).isSameAs(before);
            assertThat(running.statuses()).hasSize(6);
        }
    }

    @Test
    void aClosedClusterCannotChange(@TempDir Path work) {
        RunningCluster running = cluster(work, true).build().start();
        running.close();
        assertThatThrownBy(() -> running.update(running.cluster())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(new ArrayList<>(applied)).isEmpty();
    }
}
