package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.NodeOutcome;
import io.netboot4j.testkit.StormPhase;
import io.netboot4j.testkit.StormResult;
import io.netboot4j.testkit.StormSimulator;
import io.netboot4j.testkit.VirtualNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot storms against netboot4j's embedded stack: 50 simulated nodes boot at once
 * ({@link StormSimulator}: iPXE's DHCP, the iPXE script, kernel and initrd over TFTP,
 * klibc's DHCP, the NFS root mount, the recorded working set of a busybox-root boot), on a
 * clean link and at 5% loss each way. Every node must come up with its own address, its
 * own section of the iPXE script, boot files identical to the profile's, READ data
 * identical to the exported root, and its own file written into the root; the servers'
 * own table must show every node UP. Two nodes behind a slow link must not hold the others back. Deadlines are safety nets, not speed assertions.
 */
@Tag("integration")
class StormTest {

    private static final int NODES = 50;

    @TempDir
    Path work;
    private BusyboxRoot root;

    @BeforeEach
    void needs() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        root = BusyboxRoot.create(work.resolve("root"));
    }

    @Test
    void fiftyNodesBootAtOnceWithDebiansKernelAndInitrd() throws Exception {
        DebianKernel kernel = DebianKernel.require();
        StormResult r = storm("10.91.0.0/24", kernel.kernel(), kernel.initrd(), 0);
        assertThat(r.medianPhaseEnds()).containsOnlyKeys(StormPhase.values());
    }

    @Test
    void fiftyNodesBootAtOnceThroughFivePercentLossEachWay() throws Exception {
        // over lock-step TFTP (a script naming TFTP files) 5% loss costs a timeout every ten blocks or so:
        // the Debian files would take 10 minutes a node, so this storm boots smaller ones
        DebianKernel kernel = DebianKernel.require();
        StormResult r = storm("10.92.0.0/24", head(kernel.kernel(), 384 << 10, "vmlinuz-head"),
                head(kernel.initrd(), 768 << 10, "initrd-head.img"), 0.05);
        assertThat(r.nodes()).allMatch(n -> n.dropped() > 0, "every node lost packets");
        assertThat(r.retransmissions()).isPositive();
    }

    @Test
    void slowNodesDoNotHoldTheOthersBack() throws Exception {
        // two nodes behind a slow link: 50 ms more each way on every datagram and TCP read or write
        DebianKernel kernel = DebianKernel.require();
        StormResult r = storm("10.93.0.0/24", head(kernel.kernel(), 384 << 10, "vmlinuz-head"),
                head(kernel.initrd(), 768 << 10, "initrd-head.img"), 0, b -> b.slowNodes(2, Duration.ofMillis(50)));
        Duration slowestFast = r.nodes().subList(2, NODES).stream().map(n -> n.upAfter().orElseThrow()).max(Duration::compareTo).orElseThrow();
        Duration firstSlow = r.nodes().subList(0, 2).stream().map(n -> n.upAfter().orElseThrow()).min(Duration::compareTo).orElseThrow();
        assertThat(slowestFast).as("the last fast node was up before the first slow one").isLessThan(firstSlow);
    }

    private StormResult storm(String subnet, Path kernel, Path initrd, double loss) throws Exception {
        return storm(subnet, kernel, initrd, loss, b -> b);
    }

    private StormResult storm(String subnet, Path kernel, Path initrd, double loss,
            java.util.function.UnaryOperator<StormSimulator.Builder> more) throws Exception {
        try (VirtualNetwork net = VirtualNetwork.create("nb-storm", subnet)) {
            String first = Ipv4.format(Ipv4.plus(net.server(), 10));
            Cluster cluster = net.clusterBuilder("storm")
                    .nodes("stormnode%d", NODES, "52:54:00:91:00:01", first)
                    .boot(b -> b.kernel(kernel).initrd(initrd).append("console=ttyS0"))
                    .rootFilesystem(r -> r.path(root.path()).readWrite())
                    .workFolder(work.resolve("cluster"))
                    .build();
            try (RunningCluster running = cluster.start()) {
                StormResult r = more.apply(StormSimulator.builder(cluster).loss(loss).seed(12).deadline(Duration.ofMinutes(10)))
                        .build().run(net);
                System.out.println(r.summary());
                assertThat(r.failed()).as(r.summary()).isEmpty();
                List<NodeStatus> up = running.awaitAll(NodeState.UP, Duration.ofMinutes(1));
                assertThat(up).hasSize(NODES);
                for (NodeOutcome n : r.nodes()) {
                    var node = cluster.nodes().stream().filter(c -> c.hostname().equals(n.hostname())).findFirst().orElseThrow();
                    assertThat(n.address()).isEqualTo(node.address());
                    var report = root.path().resolve(BusyboxRoot.REPORTS).resolve(n.hostname());
                    assertThat(report).as("the file %s wrote", n.hostname()).exists();
                    assertThat(Files.readString(report)).startsWith("name=" + n.hostname() + "\naddress=" + Ipv4.format(node.address()) + "\n");
                }
                return r;
            }
        }
    }

    private Path head(Path file, int bytes, String name) throws IOException {
        Path out = work.resolve(name);
        try (InputStream in = Files.newInputStream(file); OutputStream o = Files.newOutputStream(out)) {
            o.write(in.readNBytes(bytes));
        }
        return out;
    }
}
