package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadNodes;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.StatusCollector;
import io.netboot4j.core.StatusReporter;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service nodes: one cluster description split across two head nodes, each in its own
 * network namespace with its own subnet, its own running part (DHCP, TFTP, NFS of the same
 * root) and its own network seam; a QEMU node on each subnet boots the stock kernel to
 * {@code UP}, and head1's collector shows both nodes {@code UP} in one table, head2's rows sent
 * over the routed link between the heads. Timeouts are safety nets, not speed assertions.
 */
@Tag("e2e")
class ServiceNodesBootTest {

    private static final Duration BOOT = Duration.ofMinutes(10);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void twoHeadsEachBootTheirSubnetsNodeAndOneTableShowsBothUp() throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        DebianKernel kernel = DebianKernel.require();
        try (VirtualNetwork net1 = VirtualNetwork.create("nb-head1", "10.61.1.0/24");
             VirtualNetwork net2 = VirtualNetwork.create("nb-head2", "10.61.2.0/24")) {
            // head1 br0 10.61.1.1, vh2 10.61.9.1 ==== vh1 10.61.9.2, br0 10.61.2.1 head2: the heads' routed link
            net1.namespace().addVeth("vh2", "vh1", null, net2.namespace());
            net1.namespace().ip("addr", "add", "10.61.9.1/30", "dev", "vh2").check();
            net2.namespace().ip("addr", "add", "10.61.9.2/30", "dev", "vh1").check();
            net1.namespace().ip("route", "add", "10.61.2.0/24", "via", "10.61.9.2").check();
            net2.namespace().ip("route", "add", "10.61.1.0/24", "via", "10.61.9.1").check();
            // no_timer_check: on a loaded host, software emulation can fail the kernel's IO-APIC timer check (a panic).
            Cluster whole = Cluster.builder("split")
                    .network(n -> n.interfaceName(VirtualNetwork.BRIDGE).subnet("10.61.1.0/24").server("10.61.1.1")
                            .relayedSubnet("10.61.2.0/24", "10.61.2.1"))
                    .node("node1", "52:54:00:61:01:11", "10.61.1.11")
                    .node("node2", "52:54:00:61:02:11", "10.61.2.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .with(HeadNodes.builder()
                            .head("head1", "10.61.1.1", VirtualNetwork.BRIDGE, h -> h.subnet("10.61.1.0/24"))
                            .head("head2", "10.61.2.1", VirtualNetwork.BRIDGE, h -> h.subnet("10.61.2.0/24"))
                            .reportInterval(Duration.ofSeconds(2))
                            .build())
                    .build();
            HeadNodes heads = whole.extension(HeadNodes.class).orElseThrow();
            // each head process: "I am head X", its own namespace (seam) and work folder
            Cluster part1 = heads.part(whole, "head1").toBuilder().networkSeam(net1.namespace().seam())
                    .workFolder(work.resolve("head1")).build();
            Cluster part2 = heads.part(whole, "head2").toBuilder().networkSeam(net2.namespace().seam())
                    .workFolder(work.resolve("head2")).build();
            Node node1 = whole.nodeByName("node1").orElseThrow();
            Node node2 = whole.nodeByName("node2").orElseThrow();
            try (StatusCollector collector = StatusCollector.start(whole, net1.namespace().seam());
                 RunningCluster head1 = part1.start();
                 RunningCluster head2 = part2.start();
                 StatusReporter report1 = StatusReporter.start(head1, heads, "head1");
                 StatusReporter report2 = StatusReporter.start(head2, heads, "head2");
                 VirtualNode vm1 = net1.powerOn(node1, work.resolve("node1.console"));
                 VirtualNode vm2 = net2.powerOn(node2, work.resolve("node2.console"))) {
                vm1.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                vm2.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                head1.await("node1", NodeState.UP, Duration.ofMinutes(1));
                head2.await("node2", NodeState.UP, Duration.ofMinutes(1));
                collector.awaitAll(NodeState.UP, Duration.ofSeconds(30));
                String table = collector.statusTable();
                System.out.println(table);
                assertThat(table).containsPattern("node1 .* 10\\.61\\.1\\.11 +head1 +UP ").containsPattern("node2 .* 10\\.61\\.2\\.11 +head2 +UP ");
                // each head served its own node only
                assertThat(head1.statuses()).extracting(NodeStatus::node).containsExactly(part1.nodes().getFirst());
                assertThat(head2.statuses()).extracting(NodeStatus::node).containsExactly(part2.nodes().getFirst());
                assertThat(root.report("node1")).get().satisfies(r -> assertThat(r.address()).isEqualTo("10.61.1.11"))
                        .satisfies(r -> assertThat(r.cmdline()).contains("nfsroot=10.61.1.1:"));
                assertThat(root.report("node2")).get().satisfies(r -> assertThat(r.address()).isEqualTo("10.61.2.11"))
                        .satisfies(r -> assertThat(r.cmdline()).contains("nfsroot=10.61.2.1:"));
                assertThat(collector.dropped()).isZero();
                assertThat(report2.datagramsSent()).isPositive();
                assertThat(report2.sendFailures()).isZero();
                assertThat(vm1.awaitExit(Duration.ofMinutes(1))).isZero();
                assertThat(vm2.awaitExit(Duration.ofMinutes(1))).isZero();
            }
        }
    }
}
