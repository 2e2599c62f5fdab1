package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.internal.LearnedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunningCluster#adopt}: discovered machines become nodes through the update path,
 * checked as {@code build()} checks; what was learned survives a restart on the same work folder.
 */
class AdoptTest {

    static final MacAddress MACHINE = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:12:34:57");

    final RunningClusterUpdateTest services = new RunningClusterUpdateTest();

    Cluster cluster(Path work) {
        return services.cluster(work, true)
                .with(Discovery.builder().pool("192.168.1.200", "192.168.1.219").names("node%02d")
                        .addresses("192.168.1.20", "192.168.1.29").build())
                .build();
    }

    static BootEvent.NodeDiscovered discovered(MacAddress mac) {
        return new BootEvent.NodeDiscovered(Instant.now(), mac, Ipv4.parse("192.168.1.200"), 7, "PXEClient:Arch:00007", "", Optional.empty());
    }

    @Test
    void aDiscoveredMachineIsAdoptedByTheNamingRulesAndARestartKeepsIt(@TempDir Path work) throws Exception {
        List<BootEvent> seen = new CopyOnWriteArrayList<>();
        try (RunningCluster running = cluster(work).start(seen::add)) {
            services.context.get().events().onEvent(discovered(MACHINE));
            services.context.get().events().onEvent(discovered(OTHER));
            assertThat(running.discovered()).extracting(BootEvent.NodeDiscovered::macAddress).containsExactly(MACHINE, OTHER);

            Node node = running.adopt(MACHINE);
            assertThat(node.hostname()).isEqualTo("node01");
            assertThat(node.address()).isEqualTo(Ipv4.parse("192.168.1.20"));
            assertThat(running.cluster().nodeByMac(MACHINE)).contains(node);
            assertThat(running.status("node01").state()).isEqualTo(NodeState.OFF);
            assertThat(running.discovered()).extracting(BootEvent.NodeDiscovered::macAddress).containsExactly(OTHER);
            assertThat(services.applied).contains("test DHCP 7");
            assertThat(running.awaitListeners(java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(seen).filteredOn(BootEvent.ClusterUpdated.class::isInstance).singleElement()
                    .isInstanceOfSatisfying(BootEvent.ClusterUpdated.class, u -> assertThat(u.added()).containsExactly("node01"));

            Node second = running.adopt(OTHER, "gpu1", Ipv4.parse("192.168.1.50"));
            assertThat(second.hostname()).isEqualTo("gpu1");
            assertThat(running.adopt(MacAddress.parse("52:54:00:12:34:58")).hostname()).as("next free number").isEqualTo("node02");
            running.update(running.cluster().toBuilder().node("gpu1", OTHER.toString(), "192.168.1.50", "quiet", "gpu=on")
                    .uefiChain("gpu1", UefiChain.GRUB).build());
        }
        assertThat(Files.readString(work.resolve(LearnedState.FILE))).contains("node node01 52:54:00:12:34:56 192.168.1.20",
                "node gpu1 52:54:00:12:34:57 192.168.1.50");

        try (RunningCluster again = cluster(work).start()) {
            assertThat(again.cluster().nodeByName("node01").map(Node::mac)).contains(MACHINE);
            assertThat(again.cluster().nodeByName("gpu1")).as("as the last update left it").contains(new Node(new Hostname("gpu1"),
                    OTHER, Ipv4.parse("192.168.1.50"), List.of("quiet", "gpu=on"), Optional.of(UefiChain.GRUB)));
            assertThat(again.status("node02").state()).isEqualTo(NodeState.OFF);
            assertThat(again.cluster().nodes()).hasSize(9);
            again.update(again.cluster().toBuilder().removeNode("gpu1").build());
        }
        try (RunningCluster third = cluster(work).start()) {
            assertThat(third.cluster().nodeByName("gpu1")).as("removed by an update: forgotten").isEmpty();
            assertThat(third.cluster().nodeByName("node01")).isPresent();
        }
    }

    @Test
    void discoveryRecordsSurviveARestart(@TempDir Path work) {
        try (RunningCluster running = cluster(work).start()) {
            services.context.get().events().onEvent(discovered(MACHINE));
        }
        try (RunningCluster again = cluster(work).start()) {
            assertThat(again.discovered()).singleElement().satisfies(d -> {
                assertThat(d.macAddress()).isEqualTo(MACHINE);
                assertThat(d.architecture()).isEqualTo(7);
                assertThat(d.vendorClass()).isEqualTo("PXEClient:Arch:00007");
            });
        }
    }

    @Test
    void adoptingListsEveryProblemAndChangesNothing(@TempDir Path work) {
        try (RunningCluster running = cluster(work).start()) {
            Cluster before = running.cluster();
            assertThatThrownBy(() -> running.adopt(MacAddress.parse("02:2D:61:C7:17:86"), "kerrighednode2", Ipv4.parse("10.9.9.9")))
                    .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).anySatisfy(
                            p -> assertThat(p).contains("02:2d:61:c7:17:86", "kerrighednode1", "kerrighednode2")).anySatisfy(
                            p -> assertThat(p).contains("kerrighednode2", "already")).anySatisfy(
                            p -> assertThat(p).contains("10.9.9.9")));
            assertThatThrownBy(() -> running.adopt(MACHINE, "x", Ipv4.parse("192.168.1.205")))
                    .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).singleElement()
                            .satisfies(p -> assertThat(p).contains("discovery pool", "192.168.1.205")));
            assertThatThrownBy(() -> running.adopt(MACHINE, "not a name", Ipv4.parse("192.168.1.101")))
                    .isInstanceOfSatisfying(ClusterConfigException.class, e -> assertThat(e.problems()).hasSize(2));
            assertThat(running.cluster()).isSameAs(before);
            assertThat(services.applied).isEmpty();
        }
    }

    @Test
    void adoptingByTheRulesNeedsDiscoverySettings(@TempDir Path work) {
        try (RunningCluster running = services.cluster(work, true).build().start()) {
            assertThatThrownBy(() -> running.adopt(MACHINE)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Discovery.builder()");
        }
    }

    @Test
    void aCorruptStateFileIsAClearErrorAtStart(@TempDir Path work) throws Exception {
        Files.writeString(work.resolve(LearnedState.FILE), "node node01 52:54:00:12:34:56 192.168.1.20\nnode node02 zz 192.168.1.21\n");
        assertThatThrownBy(() -> cluster(work).start()).isInstanceOf(ClusterStartException.class)
                .hasStackTraceContaining("is corrupt at line 2").hasStackTraceContaining("move the file away");
    }

    @Test
    void adoptedNodesThatNoLongerFitTheDescriptionAreAClearError(@TempDir Path work) throws Exception {
        Files.writeString(work.resolve(LearnedState.FILE), "node kerrighednode1 52:54:00:12:34:56 192.168.1.20\n"
                + "node node07 52:54:00:12:34:57 10.0.0.7\n" + "node node08 02:2D:61:C7:17:86 192.168.1.28\n");
        assertThatThrownBy(() -> cluster(work).start()).isInstanceOf(ClusterStartException.class)
                .hasStackTraceContaining("has the name of another node").hasStackTraceContaining("10.0.0.7");
    }

    @Test
    void theDescriptionWinsOverAnAdoptedNodeOfTheSameMac(@TempDir Path work) throws Exception {
        Files.writeString(work.resolve(LearnedState.FILE), "node node08 02:2D:61:C7:17:86 192.168.1.28\n");
        try (RunningCluster running = cluster(work).start()) {
            assertThat(running.cluster().nodeByName("node08")).isEmpty();
            assertThat(running.cluster().nodes()).hasSize(6);
        }
        assertThat(Files.readString(work.resolve(LearnedState.FILE))).doesNotContain("node08");
    }
}
