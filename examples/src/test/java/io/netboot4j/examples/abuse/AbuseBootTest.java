package io.netboot4j.examples.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxBoot;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.Pxelinux;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head node under abuse, in one cluster run: the embedded DHCP server starts on a
 * bridge without carrier (its only port is a tap no machine has opened yet); another host
 * on the cluster network ({@link Flooder}) sends junk DHCP, TFTP requests for real files from
 * many ports that never ACK or ACK wrong blocks, WRQs, hostile ONC RPC records, and keeps
 * slow-loris connections, while two QEMU nodes PXE-boot; the first node's bridge port goes
 * down for 3 s during its kernel download. Both nodes must reach {@code UP}. The junk's
 * seed is printed. Timeouts are safety nets for a slow shared machine, not speed checks.
 */
@Tag("e2e")
class AbuseBootTest {

    private static final Duration BOOT = Duration.ofMinutes(10);
    private static final Duration FLOOD_LIMIT = Duration.ofMinutes(12);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void twoNodesBootWhileAnotherHostFloodsTheHeadAndALinkFlaps() throws Exception {
        assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
        assumeTrue(Pxelinux.find().isPresent(), Pxelinux.unavailableReason());
        long seed = Long.getLong("abuse.seed", new Random().nextLong());
        System.out.println("AbuseBootTest junk seed " + seed + " (repeat with -Dabuse.seed=" + seed + ")");
        BusyboxBoot boot = BusyboxBoot.create(work.resolve("root"));
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create("nb-abuse", "10.93.0.0/24")) {
            Cluster cluster = boot.clusterBuilder(net, "abuse")
                    .node("abusenode1", "52:54:00:93:00:11", "10.93.0.11")
                    .node("abusenode2", "52:54:00:93:00:12", "10.93.0.12")
                    .workFolder(work.resolve("cluster"))
                    .build();
            NetworkNamespace head = net.namespace();
            head.addTap("tapidle", VirtualNetwork.BRIDGE);
            awaitCarrier(head, false);

            try (RunningCluster running = cluster.start(events::add);
                 Flooder flooder = Flooder.attach(net, "10.93.0.250/24")) {
                // listeners run on the cluster's event thread: wait until they saw everything so far
                assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
                assertThat(events).anySatisfy(e -> assertThat(e.describe()).contains("is down or has no carrier"));
                List<String> files = new ArrayList<>(List.of(cluster.boot().kernelFileName(), cluster.boot().ipxeBootFile(),
                        cluster.boot().biosBootFile()));
                cluster.boot().initrdFileName().ifPresent(files::add);
                flooder.start(cluster, files, seed, FLOOD_LIMIT);

                List<VirtualNode> nodes = new ArrayList<>();
                for (Node n : cluster.nodes()) {
                    nodes.add(net.powerOn(n, work.resolve(n.hostname() + ".console")));
                }
                // the first node's bridge port goes down for 3 s while its kernel comes
                VirtualNode first = nodes.getFirst();
                first.awaitConsole(Pattern.compile(Pattern.quote(cluster.boot().kernelFileName())), BOOT);
                head.ip("link", "set", first.tap(), "down");
                Thread.sleep(3000);
                head.ip("link", "set", first.tap(), "up");

                for (VirtualNode n : nodes) {
                    n.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                }
                List<NodeStatus> up = running.awaitAll(NodeState.UP, Duration.ofMinutes(1));
                System.out.println(running.statusTable());
                System.out.println("flood sent: " + flooder.sent());
                assertThat(up).extracting(s -> s.node().hostname()).containsExactly("abusenode1", "abusenode2");
                assertThat(flooder.sent()).containsKeys("dhcp", "tftp", "rpc-udp", "rpc-tcp", "slow-loris");
                assertThat(flooder.sent().get("dhcp")).isGreaterThan(100);
                assertThat(flooder.sent().get("tftp")).isGreaterThan(100);
                // connections are paced by the server's accept and the 1 s connect timeout, not by the flooder
                assertThat(flooder.sent().get("rpc-tcp")).isGreaterThan(10);
                // listeners run on the cluster's event thread: wait until they saw everything so far
                assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
                assertThat(events).as("the flood was seen and reported with its source")
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.FloodSuspected.class,
                                f -> assertThat(f.source().getHostAddress()).isEqualTo(flooder.address())));
                for (VirtualNode n : nodes) {
                    assertThat(n.awaitExit(Duration.ofMinutes(1))).as("QEMU exit of %s", n.name()).isZero();
                }
            }
        }
    }

    private static void awaitCarrier(NetworkNamespace head, boolean wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (head.seam().isRunning(VirtualNetwork.BRIDGE) != wanted && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(head.seam().isRunning(VirtualNetwork.BRIDGE)).as("carrier of the bridge").isEqualTo(wanted);
    }
}
