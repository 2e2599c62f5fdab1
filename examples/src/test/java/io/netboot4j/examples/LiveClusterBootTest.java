package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A living cluster booting real QEMU nodes (iPXE firmware, Debian's stock kernel, busybox
 * root over the embedded NFS server): a node added to the running cluster, in a second
 * node group with other kernel arguments and a root filesystem of its own (exported by the
 * same change), boots to UP from that root while the first node is in the middle of its boot
 * from the cluster's root, and that one finishes without a retry; then the first node is
 * removed and its next boot gets no offer. One cluster run for all assertions.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveClusterBootTest {

    private static final Duration BOOT = Duration.ofMinutes(8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private VirtualNetwork net;
    private BusyboxRoot root;
    /** The storage group's own root, exported by the live change that adds livenode2. */
    private BusyboxRoot storageRoot;
    private RunningCluster running;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startTheCluster() throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        root = BusyboxRoot.create(work.resolve("root"));
        storageRoot = BusyboxRoot.create(work.resolve("storage-root"));
        DebianKernel kernel = DebianKernel.require();
        net = VirtualNetwork.create("nb-live", "10.96.0.0/24");
        Cluster cluster = net.clusterBuilder("live")
                .node("livenode1", "52:54:00:96:00:11", "10.96.0.11")
                .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                .group("compute", b -> b.append("nb4j.kind=compute"))
                .group("storage", b -> b.append("nb4j.kind=storage"))
                .nodeGroup("livenode1", "compute")
                .rootFilesystem(r -> r.path(root.path()))
                .workFolder(work.resolve("cluster"))
                .build();
        running = cluster.start(events::add);
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void aNodeAddedWhileAnotherBootsReachesUpAndBothGroupsBootTheirArguments() throws Exception {
        Node first = running.cluster().nodeByName("livenode1").orElseThrow();
        try (VirtualNode one = net.powerOn(first, work.resolve("livenode1.console"))) {
            // mid-boot: its boot files are being sent
            running.await("livenode1", NodeState.LOADING, BOOT);
            BootEvent.ClusterUpdated change = running.update(running.cluster().toBuilder()
                    .node("livenode2", "52:54:00:96:00:12", "10.96.0.12").nodeGroup("livenode2", "storage")
                    .groupRoot("storage", r -> r.path(storageRoot.path())).build());
            assertThat(change.added()).containsExactly("livenode2");
            assertThat(running.status("livenode1").state()).as("the first node keeps its state, in the middle of its boot")
                    .isGreaterThanOrEqualTo(NodeState.LOADING).isLessThan(NodeState.UP);
            Node second = running.cluster().nodeByName("livenode2").orElseThrow();
            try (VirtualNode two = net.powerOn(second, work.resolve("livenode2.console"))) {
                one.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                two.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                running.await("livenode1", NodeState.UP, Duration.ofMinutes(1));
                running.await("livenode2", NodeState.UP, Duration.ofMinutes(1));
                System.out.println(running.statusTable());
                assertThat(two.console()).as("livenode2 loads its group's kernel")
                        .anyMatch(l -> l.contains("http://10.96.0.1/storage/" + running.cluster().boot().kernelFileName()));
                assertThat(one.console()).anyMatch(l -> l.contains("http://10.96.0.1/compute/" + running.cluster().boot().kernelFileName()));
                assertThat(one.awaitExit(Duration.ofMinutes(1))).isZero();
                assertThat(two.awaitExit(Duration.ofMinutes(1))).isZero();
            }
        }
        for (String name : List.of("livenode1", "livenode2")) {
            Node n = running.cluster().nodeByName(name).orElseThrow();
            // each node wrote its report into its group's root, and only there
            BusyboxRoot own = name.equals("livenode2") ? storageRoot : root;
            BusyboxRoot other = own == root ? storageRoot : root;
            var report = own.report(name);
            assertThat(report).as("report of %s in %s", name, own.path()).isPresent();
            assertThat(other.report(name)).as("no report of %s in %s", name, other.path()).isEmpty();
            assertThat(report.get().kernelArguments()).contains("nfsroot=10.96.0.1:" + own.path() + ",vers=3,tcp");
            assertThat(report.get().address()).isEqualTo(Ipv4.format(n.address()));
            assertThat(report.get().kernelArguments()).contains("nb4j.kind=" + n.group().orElseThrow(), "root=/dev/nfs")
                    .doesNotContain("nb4j.kind=" + (n.group().orElseThrow().equals("compute") ? "storage" : "compute"));
        }
        // livenode1 finished without a retry: no failed transfer, each of its files sent once, no refusal
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted m && m.address().equals(Ipv4.parse("10.96.0.12"))
                && m.path().equals(storageRoot.path().toString()));
        assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted m && m.address().equals(Ipv4.parse("10.96.0.11"))
                && m.path().equals(root.path().toString()));
        var address1 = Ipv4.parse("10.96.0.11");
        List<String> sent = events.stream().filter(e -> e instanceof BootEvent.FileSent f && f.address().equals(address1))
                .map(e -> ((BootEvent.FileSent) e).file()).toList();
        assertThat(sent).isNotEmpty().doesNotHaveDuplicates();
        assertThat(events).noneMatch(e -> e instanceof BootEvent.FileFailed f && f.address().equals(address1));
        assertThat(events).noneMatch(e -> e instanceof BootEvent.AddressRefused r && r.macAddress().toString().equals("52:54:00:96:00:11"));
    }

    @Test
    @Order(2)
    void aRemovedNodeGetsNoOfferOnItsNextBoot() throws Exception {
        Node first = running.cluster().nodeByName("livenode1").orElseThrow();
        running.update(running.cluster().toBuilder().removeNode("livenode1").build());
        assertThat(running.statusTable()).doesNotContain("livenode1");
        int before = root.reports().size();
        try (VirtualNode node = net.powerOn(first, work.resolve("livenode1-again.console"))) {
            node.awaitConsole(Pattern.compile("iPXE"), Duration.ofMinutes(2));
            node.awaitConsole(Pattern.compile("No configuration methods succeeded|Connection timed out|No more network devices"),
                    Duration.ofMinutes(4));
            assertThat(node.console().stream().filter(l -> l.contains("Linux version")).count()).isZero();
        }
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        BootEvent.ClusterUpdated removal = events.stream().filter(e -> e instanceof BootEvent.ClusterUpdated u && u.removed().contains("livenode1"))
                .map(BootEvent.ClusterUpdated.class::cast).findFirst().orElseThrow();
        List<BootEvent> after = events.subList(events.indexOf(removal), events.size());
        assertThat(after).anyMatch(e -> e instanceof BootEvent.UnknownClientIgnored u && u.macAddress().equals(first.mac()));
        assertThat(after).noneMatch(e -> e instanceof BootEvent.AddressOffered o && o.macAddress().equals(first.mac()));
        assertThat(root.reports()).hasSize(before);
    }
}
