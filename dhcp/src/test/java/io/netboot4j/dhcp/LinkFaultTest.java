package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server on a link that is not there yet, or that flaps, against busybox
 * udhcpc in network namespaces.
 */
@Tag("integration")
class LinkFaultTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        TestNet.assumeUdhcpc();
    }

    /** udhcpc with {@code tries} DISCOVERs a second apart. */
    private static CommandResult udhcpc(NetworkNamespace client, Path script, int tries) {
        return client.exec(Duration.ofSeconds(60), "busybox", "udhcpc", "-f", "-q", "-n", "-t", Integer.toString(tries),
                "-T", "1", "-i", "eth0", "-s", script.toString());
    }

    @Test
    void startsOnABridgeWithoutCarrierAndServesTheNodeThatJoinsLater() throws Exception {
        try (TestNet net = new TestNet()) {
            // the first node's tap, before QEMU opens it: no carrier, and so none on the bridge
            net.head.addTap("tap0", "br0");
            Cluster cluster = TestClusters.cluster(net.head.seam());
            // the kernel's link watch tells the bridge within a second or so
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (net.head.seam().isRunning("br0") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(net.head.seam().isRunning("br0")).as("a bridge whose only port has no carrier").isFalse();
            TestClusters.Events events = new TestClusters.Events();
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                assertThat(events.of(BootEvent.ServiceProblem.class)).singleElement()
                        .satisfies(p -> assertThat(p.message()).isEqualTo(
                                "network interface 'br0' is down or has no carrier; DHCP answers as soon as it comes up"));
                NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
                CommandResult r = udhcpc(node, TestNet.envScript(tmp), 5);
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(TestNet.envAt(r.output(), "bound")).containsEntry("ip", "10.77.0.101");
            }
        }
    }

    @Test
    void aNodeWhoseLinkIsDownForThreeSecondsGetsItsAddress() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam());
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, new TestClusters.Events()))) {
                server.start();
                // the bridge port of the node goes down, as a switch port whose cable is pulled
                net.head.ip("link", "set", "v1br0", "down");
                CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
                    sleep(Duration.ofSeconds(3));
                    net.head.ip("link", "set", "v1br0", "up");
                });
                CommandResult r = udhcpc(node, TestNet.envScript(tmp), 10);
                up.join();
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(TestNet.envAt(r.output(), "bound")).containsEntry("ip", "10.77.0.101");
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
