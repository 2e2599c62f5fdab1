package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.kerrighed.Kerrighed;
import io.netboot4j.testkit.BusyboxBoot;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.Pxelinux;
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
 * The boot proof: QEMU nodes with iPXE firmware PXE-boot Debian's stock kernel and initrd
 * from netboot4j's embedded DHCP, TFTP and HTTP servers (the iPXE script over TFTP, kernel
 * and initrd over HTTP) and mount a busybox root over the
 * embedded NFS server, all inside a network namespace. Timeouts are safety nets for a slow,
 * shared CI machine (software emulation), not speed assertions.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusyboxClusterBootTest {

    private static final Duration BOOT = Duration.ofMinutes(8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private VirtualNetwork net;
    private BusyboxRoot root;
    private Cluster cluster;
    private RunningCluster running;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startTheCluster() throws Exception {
        assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
        assumeTrue(Pxelinux.find().isPresent(), Pxelinux.unavailableReason());
        BusyboxBoot boot = BusyboxBoot.create(work.resolve("root"));
        root = boot.root();
        net = VirtualNetwork.create("nb-e2e", "10.97.0.0/24");
        cluster = boot.clusterBuilder(net, "e2e")
                .node("e2enode1", "52:54:00:97:00:11", "10.97.0.11")
                .node("e2enode2", "52:54:00:97:00:12", "10.97.0.12")
                .with(Kerrighed.session(7).minimumNodes(2))
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
    void twoNodesBootTheStockKernelFromTheEmbeddedStackAndWriteIntoTheirNfsRoot() throws Exception {
        List<VirtualNode> nodes = cluster.nodes().stream()
                .map(n -> net.powerOn(n, work.resolve(n.hostname() + ".console"))).toList();
        for (VirtualNode n : nodes) {
            n.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
        }
        List<NodeStatus> up = running.awaitAll(NodeState.UP, Duration.ofMinutes(1));
        System.out.println(running.statusTable());

        assertThat(up).extracting(s -> s.node().hostname()).containsExactly("e2enode1", "e2enode2");
        assertThat(running.statusTable()).containsPattern("e2enode1 .* UP ").containsPattern("e2enode2 .* UP ");
        // Read from the host side: each node named itself with the host name DHCP gave it.
        for (Node n : cluster.nodes()) {
            var report = root.report(n.hostname());
            assertThat(report).as("report of %s in %s", n.hostname(), root.path()).isPresent();
            assertThat(report.get().address()).isEqualTo(Ipv4.format(n.address()));
            assertThat(report.get().hostname()).isEqualTo(n.hostname());
        }
        for (VirtualNode n : nodes) {
            assertThat(n.awaitExit(Duration.ofMinutes(1))).as("QEMU exit of %s (guest powered off)", n.name()).isZero();
            assertThat(n.console()).anyMatch(l -> l.contains("iPXE"));
            // the default embedded provider: the script over TFTP, kernel and initrd over HTTP
            assertThat(n.console()).as("console of %s", n.name())
                    .anyMatch(l -> l.contains("http://10.97.0.1/" + cluster.boot().kernelFileName()))
                    .anyMatch(l -> l.contains("http://10.97.0.1/" + cluster.boot().initrdFileName().orElseThrow()));
        }
        // What the services reported along the way, for each node.
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        for (Node n : cluster.nodes()) {
            assertThat(events).anyMatch(e -> e instanceof BootEvent.AddressAcknowledged a && a.macAddress().equals(n.mac()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.FileSent f && f.address().equals(n.address())
                    && f.file().endsWith(cluster.boot().kernelFileName()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted m && m.address().equals(n.address()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.NodeUp u && u.address().equals(n.address()));
        }
    }

    @Test
    @Order(2)
    void kerrighedSessionAndNodeIdsReachEachNodesProcCmdline() {
        for (Node n : cluster.nodes()) {
            var report = root.report(n.hostname());
            assumeTrue(report.isPresent(), "the boot test did not leave a report for " + n.hostname());
            assertThat(report.get().kernelArguments()).contains("session_id=7", "node_id=" + Ipv4.lastOctet(n.address()),
                    "root=/dev/nfs", "nfsroot=10.97.0.1:" + root.path() + ",vers=3,tcp", "ip=dhcp", "rw");
        }
    }

    @Test
    @Order(3)
    void anUnknownMacOnTheSameBridgeGetsNoAddressAndBootsNothing() throws Exception {
        MacAddress stranger = MacAddress.parse("52:54:00:97:00:99");
        int before = root.reports().size();
        try (VirtualNode node = net.powerOn("stranger", stranger, work.resolve("stranger.console"))) {
            node.awaitConsole(Pattern.compile("iPXE"), Duration.ofMinutes(2));
            // iPXE gives up on DHCP after its retries, then falls back to the BIOS.
            node.awaitConsole(Pattern.compile("No configuration methods succeeded|Connection timed out|No more network devices"),
                    Duration.ofMinutes(4));
            assertThat(node.console()).noneMatch(l -> l.contains("PXELINUX") || l.contains("Linux version"));
        }
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        assertThat(events).anyMatch(e -> e instanceof BootEvent.UnknownClientIgnored u && u.macAddress().equals(stranger));
        assertThat(events).noneMatch(e -> (e instanceof BootEvent.AddressOffered o && o.macAddress().equals(stranger))
                || (e instanceof BootEvent.AddressAcknowledged a && a.macAddress().equals(stranger)));
        assertThat(root.reports()).hasSize(before);
    }
}
