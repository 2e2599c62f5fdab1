package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.boot.PxeConfig;
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
import io.netboot4j.tftp.EmbeddedTftpProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * UEFI HTTP Boot: a QEMU node with OVMF firmware (its own network stack, PXE turned off so
 * HTTP Boot is what runs) asks DHCP as {@code HTTPClient}, downloads iPXE's
 * {@code snponly.efi} from the embedded HTTP server, and iPXE then loads kernel and initrd
 * over HTTP; the node mounts its NFS root and reaches {@code UP}. One boot, many assertions.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UefiHttpBootTest {

    /** iPXE for UEFI using the firmware's network driver (Debian package {@code ipxe}). */
    static final Path SNPONLY = Path.of("/usr/lib/ipxe/snponly.efi");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private VirtualNetwork net;
    private BusyboxRoot root;
    private Cluster cluster;
    private RunningCluster running;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startTheCluster() throws Exception {
        assumeTrue(VirtualNode.unavailableReason(VirtualNode.Firmware.UEFI).isEmpty(),
                VirtualNode.unavailableReason(VirtualNode.Firmware.UEFI));
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        assumeTrue(Files.isReadable(SNPONLY), SNPONLY + " is missing: install Debian package ipxe");
        root = BusyboxRoot.create(work.resolve("root"));
        DebianKernel kernel = DebianKernel.require();
        net = VirtualNetwork.create("nb-uhttp", "10.96.0.0/24");
        cluster = net.clusterBuilder("uhttp")
                .node("uhttpnode1", "52:54:00:96:00:11", "10.96.0.11")
                .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                .rootFilesystem(r -> r.path(root.path()))
                .bootFiles(new EmbeddedTftpProvider(
                        c -> PxeBootTree.builder(c).uefiLoader(SNPONLY).httpBase(PxeConfig.httpBase(c)).build(), t -> { }, h -> { }))
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
    void ovmfHttpBootLoadsIpxeOverHttpAndTheNodeReachesUp() throws Exception {
        Node n = cluster.nodes().getFirst();
        String base = "http://" + Ipv4.format(net.server()) + "/";
        try (VirtualNode node = VirtualNode.builder(net.namespace(), n.mac()).name(n.hostname()).bridge(VirtualNetwork.BRIDGE)
                .firmware(VirtualNode.Firmware.UEFI).consoleLog(work.resolve(n.hostname() + ".console"))
                // OVMF's switches for its PXE boot options: off, so its HTTP Boot option runs
                .qemuArguments("-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=n",
                        "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=n")
                .start()) {
            node.awaitConsole(BusyboxRoot.WROTE_LINE, Duration.ofMinutes(10));
            assertThat(running.await(n.hostname(), NodeState.UP, Duration.ofMinutes(1)).state()).isEqualTo(NodeState.UP);
            System.out.println(running.statusTable());
            assertThat(node.console()).as("OVMF console").noneMatch(l -> l.contains("Start PXE over"))
                    .anyMatch(l -> l.contains("iPXE"))
                    .anyMatch(l -> l.contains(base + cluster.boot().kernelFileName()));
        }
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        // the firmware's download, then iPXE's, all over HTTP from the node's own address
        for (String file : List.of("snponly.efi", cluster.boot().kernelFileName(), cluster.boot().initrdFileName().orElseThrow())) {
            assertThat(events).as(file).anyMatch(e -> e instanceof BootEvent.FileSent f && f.address().equals(n.address())
                    && f.file().equals(file) && f.protocol().equals("http"));
        }
        assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted m && m.address().equals(n.address()));
        var report = root.report(n.hostname());
        assertThat(report).isPresent();
        assertThat(report.get().address()).isEqualTo(Ipv4.format(n.address()));
    }
}
