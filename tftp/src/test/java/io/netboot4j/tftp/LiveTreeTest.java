package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.boot.PxeConfig;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RunningCluster.update} with the embedded boot files: the tree is made again and
 * swapped while a kernel transfer runs (curl); the transfer completes with the file it
 * opened, a node added gets its per-node pxelinux file (tftp-hpa), a removed node's goes.
 */
@Tag("integration")
class LiveTreeTest {

    @TempDir
    Path work;

    /** Stand-ins for the other concerns, which take any change. */
    record Unchanging(String name) implements AddressAllocation, RootExport {
        @Override public void start() { }
        @Override public void close() { }
        @Override public boolean supportsUpdate(Cluster next) { return true; }
        @Override public void update(Cluster next) { }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aTransferUnderWayKeepsItsFileWhileAnAddedNodeGetsItsOwn() throws Exception {
        Peers.require("curl", "curl");
        Peers.require("tftp", "tftp-hpa");
        Path oldKernel = Files.write(work.resolve("vmlinuz"), random(16 << 20, 1));
        Path newFolder = Files.createDirectories(work.resolve("new"));
        Path newKernel = Files.write(newFolder.resolve("vmlinuz"), random(1 << 20, 2));
        Path initrd = Files.write(work.resolve("initrd.img"), new byte[1000]);
        Cluster cluster = EmbeddedProviderTest.loopbackCluster(oldKernel, initrd).toBuilder()
                .rootExport(new RootExportProvider() {
                    @Override public String name() { return "none"; }
                    @Override public RootExport create(ServiceContext c) { return new Unchanging("no root export"); }
                })
                .addressAllocation(new AddressAllocationProvider() {
                    @Override public String name() { return "none"; }
                    @Override public AddressAllocation create(ServiceContext c) { return new Unchanging("no DHCP"); }
                })
                .workFolder(work)
                .build();
        try (RunningCluster running = cluster.start()) {
            String port = Integer.toString(running.service(BootFileService.class).endpoints().get("tftp").getPort());
            Path during = work.resolve("during.out");
            // node1 (127.0.0.2) loads the 16 MiB kernel with 512-byte blocks: thousands of round trips
            Process transfer = new ProcessBuilder("curl", "-sS", "--tftp-blksize", "512", "--interface", "127.0.0.2",
                    "-o", during.toString(), "tftp://127.0.0.1:" + port + "/vmlinuz")
                    .redirectErrorStream(true).redirectOutput(work.resolve("curl.log").toFile()).start();
            try {
                while (!Files.exists(during) || Files.size(during) == 0) {
                    assertThat(transfer.isAlive()).as("curl is still loading").isTrue();
                    Thread.sleep(20);
                }
                BootEvent.ClusterUpdated change = running.update(running.cluster().toBuilder()
                        .boot(b -> b.kernel(newKernel))
                        .node("node3", "52:54:00:12:34:58", "127.0.0.4", "nomodeset")
                        .removeNode("node2")
                        .build());
                assertThat(transfer.isAlive()).as("the update came while the transfer was under way").isTrue();
                assertThat(Files.size(during)).isLessThan(Files.size(oldKernel));
                assertThat(change.added()).containsExactly("node3");

                Path cfg = work.resolve("node3.cfg");
                var r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", port,
                        "-c", "get", "pxelinux.cfg/01-52-54-00-12-34-58", cfg.toString());
                assertThat(r.exit()).as(r.output()).isZero();
                Cluster now = running.cluster();
                assertThat(Files.readString(cfg)).isEqualTo(PxeConfig.pxelinuxNode(now, now.nodeByName("node3").orElseThrow()))
                        .contains("nomodeset");
                // the HTTP server serves the same new tree
                Path viaHttp = work.resolve("node3-http.cfg");
                String http = "http://127.0.0.1:" + running.service(BootFileService.class).endpoints().get("http").getPort();
                r = Peers.run(work, null, 30, "curl", "-sS", "--fail", "--interface", "127.0.0.4", "-o", viaHttp.toString(),
                        http + "/pxelinux.cfg/01-52-54-00-12-34-58");
                assertThat(r.exit()).as(r.output()).isZero();
                assertThat(Files.readString(viaHttp)).isEqualTo(Files.readString(cfg));
                r = Peers.run(work, null, 30, "curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o", work.resolve("x").toString(),
                        http + "/pxelinux.cfg/01-52-54-00-12-34-57");
                assertThat(r.output()).as("removed node's file over HTTP").contains("404");
                Path gone = work.resolve("node2.cfg");
                r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", port,
                        "-c", "get", "pxelinux.cfg/01-52-54-00-12-34-57", gone.toString());
                assertThat(r.output()).as("removed node's file").containsIgnoringCase("not found");
                Path after = work.resolve("after.out");
                r = Peers.run(work, null, 30, "curl", "-sS", "-o", after.toString(), "tftp://127.0.0.1:" + port + "/vmlinuz");
                assertThat(r.exit()).as(r.output()).isZero();
                Peers.assertSameBytes(newKernel, after);

                // node1 moves into a new group: its file names the group's kernel and arguments, served from the group's folder
                running.update(running.cluster().toBuilder().group("alt", b -> b.append("alt=1")).nodeGroup("node1", "alt").build());
                Path moved = work.resolve("node1.cfg");
                r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", port,
                        "-c", "get", "pxelinux.cfg/01-52-54-00-12-34-56", moved.toString());
                assertThat(r.exit()).as(r.output()).isZero();
                assertThat(Files.readString(moved)).contains("KERNEL alt/vmlinuz\n", " alt=1", "initrd=alt/initrd.img");
                Path groupKernel = work.resolve("alt.out");
                r = Peers.run(work, null, 30, "curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o", groupKernel.toString(),
                        http + "/alt/vmlinuz");
                assertThat(r.exit()).as(r.output()).isZero();
                Peers.assertSameBytes(newKernel, groupKernel);

                assertThat(transfer.waitFor()).as(Files.readString(work.resolve("curl.log"))).isZero();
                Peers.assertSameBytes(oldKernel, during);
            } finally {
                transfer.destroy();
            }
        }
    }
}
