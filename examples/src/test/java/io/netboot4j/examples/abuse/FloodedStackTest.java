package io.netboot4j.examples.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.VirtualNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole embedded stack under the {@link Flooder}'s flood, served to a node played by a
 * namespace with real clients (no emulator, so it runs in a minute): busybox udhcpc gets the
 * node's address, curl fetches the kernel over TFTP, libnfs's nfs-cat reads a file of the
 * root through portmap, MOUNT and NFS. The junk's seed is printed. And a TFTP download
 * (tftp-hpa) whose link is down for 3 s in the middle completes.
 */
@Tag("integration")
class FloodedStackTest {

    @TempDir
    Path work;

    @Test
    void aNodesClientsAreServedWhileAnotherHostFloodsTheHead() throws Exception {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        for (String[] tool : new String[][] {{"busybox", "busybox-static"}, {"curl", "curl"}, {"nfs-cat", "libnfs-utils"}}) {
            assumeTrue(Commands.exists(tool[0]), tool[0] + " is missing: install the Debian package " + tool[1]);
        }
        long seed = Long.getLong("abuse.seed", new Random().nextLong());
        System.out.println("FloodedStackTest junk seed " + seed + " (repeat with -Dabuse.seed=" + seed + ")");
        byte[] kernelBytes = new byte[3 << 20];
        new Random(seed).nextBytes(kernelBytes);
        Path kernel = Files.write(work.resolve("vmlinuz"), kernelBytes);
        Path root = Files.createDirectories(work.resolve("root"));
        Files.writeString(root.resolve("hello"), "served under flood\n");
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create("nb-flood", "10.91.0.0/24");
             NetworkNamespace node = NetworkNamespace.create("nb-fnode")) {
            Cluster cluster = cluster(net, node, kernel, root);
            try (RunningCluster running = cluster.start(events::add);
                 Flooder flooder = Flooder.attach(net, "10.91.0.250/24")) {
                flooder.start(cluster, List.of("vmlinuz", cluster.boot().ipxeBootFile()), seed, Duration.ofMinutes(3));
                Thread.sleep(2000);

                CommandResult dhcp = node.exec(Duration.ofSeconds(60), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "10",
                        "-T", "1", "-i", "eth0", "-s", "/bin/true");
                assertThat(dhcp.exitCode()).as(dhcp.output()).isZero();
                assertThat(dhcp.output()).contains("10.91.0.11");
                node.ip("addr", "add", "10.91.0.11/24", "dev", "eth0");

                Path fetched = work.resolve("fetched");
                CommandResult tftp = node.exec(Duration.ofSeconds(120), "curl", "-sS", "--max-time", "110", "-o",
                        fetched.toString(), "tftp://10.91.0.1/vmlinuz");
                assertThat(tftp.exitCode()).as(tftp.output()).isZero();
                assertThat(Files.readAllBytes(fetched)).isEqualTo(kernelBytes);

                CommandResult nfs = node.exec(Duration.ofSeconds(120), "nfs-cat", "nfs://10.91.0.1" + root + "/hello?version=3");
                assertThat(nfs.exitCode()).as(nfs.output()).isZero();
                assertThat(nfs.output()).contains("served under flood");

                System.out.println("flood sent: " + flooder.sent());
                assertThat(flooder.sent().get("dhcp")).isGreaterThan(100);
                assertThat(flooder.sent().get("tftp")).isGreaterThan(100);
                assertThat(flooder.sent().get("rpc-tcp")).isGreaterThan(10);
                // listeners run on the cluster's event thread: wait until they saw everything so far
                assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
                assertThat(events).as("the flood was reported with its source")
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.FloodSuspected.class,
                                f -> assertThat(f.source().getHostAddress()).isEqualTo(flooder.address())));
            }
        }
    }

    /** The cluster of one node, played by {@code node}: plugged into the bridge with the node's MAC. */
    private Cluster cluster(VirtualNetwork net, NetworkNamespace node, Path kernel, Path root) {
        Cluster cluster = net.clusterBuilder("flood")
                .node("floodnode1", "52:54:00:91:00:11", "10.91.0.11")
                .boot(b -> b.kernel(kernel))
                .rootFilesystem(r -> r.path(root))
                .workFolder(work.resolve("cluster"))
                .build();
        net.namespace().addVeth("vfnode", "eth0", VirtualNetwork.BRIDGE, node);
        node.ip("link", "set", "eth0", "down");
        node.ip("link", "set", "eth0", "address", "52:54:00:91:00:11");
        node.ip("link", "set", "eth0", "up");
        return cluster;
    }

    @Test
    void aTftpDownloadWhoseLinkIsDownForThreeSecondsCompletes() throws Exception {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("tftp"), "tftp is missing: install the Debian package tftp-hpa");
        byte[] kernelBytes = new byte[40 << 20];
        new Random(5).nextBytes(kernelBytes);
        Path kernel = Files.write(work.resolve("vmlinuz"), kernelBytes);
        Path root = Files.createDirectories(work.resolve("root"));
        try (VirtualNetwork net = VirtualNetwork.create("nb-flap", "10.91.0.0/24");
             NetworkNamespace node = NetworkNamespace.create("nb-fnode")) {
            Cluster cluster = cluster(net, node, kernel, root);
            node.ip("addr", "add", "10.91.0.11/24", "dev", "eth0");
            try (RunningCluster running = cluster.start()) {
                Path fetched = work.resolve("fetched");
                // tftp-hpa: 512-byte blocks, lock-step, retransmits every 5 s for up to 25 s
                Process get = new ProcessBuilder(node.wrap("tftp", "-m", "binary", "10.91.0.1", "-c", "get", "vmlinuz",
                        fetched.toString())).redirectErrorStream(true).start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((!Files.exists(fetched) || Files.size(fetched) < (1 << 20)) && get.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(get.isAlive()).as("the download is under way when the link goes down").isTrue();
                long before = Files.size(fetched);
                net.namespace().ip("link", "set", "vfnode", "down");
                Thread.sleep(3000);
                net.namespace().ip("link", "set", "vfnode", "up");
                assertThat(get.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                String output = new String(get.getInputStream().readAllBytes());
                assertThat(get.exitValue()).as(output).isZero();
                assertThat(before).isLessThan(kernelBytes.length);
                assertThat(Files.readAllBytes(fetched)).isEqualTo(kernelBytes);
            }
        }
    }
}
