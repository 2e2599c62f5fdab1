package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.UefiChain;
import io.netboot4j.kerrighed.Kerrighed;
import io.netboot4j.testkit.BusyboxBoot;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import io.netboot4j.testkit.VirtualNode.Firmware;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * UEFI out of the box: three OVMF nodes whose firmware does its own PXE (no iPXE ROM) boot
 * Debian's stock (signed) kernel and initrd from the embedded stack, each through another
 * chain of one cluster, in one run: the default {@code ipxe} chain ({@code snponly.efi}, then
 * the iPXE script), {@code syslinux} ({@code syslinux.efi} and the pxelinux files), and
 * {@code shim+grub} with Secure Boot on (Microsoft's keys: shim, Debian's GRUB, Debian's
 * kernel, each checked by the one before). Timeouts are safety nets for a slow shared
 * machine, not speed assertions.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UefiBootTest {

    private static final Duration BOOT = Duration.ofMinutes(12);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private VirtualNetwork net;
    private BusyboxRoot root;
    private Cluster cluster;
    private RunningCluster running;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, Firmware> firmware = new LinkedHashMap<>();

    @BeforeAll
    void startTheCluster() throws Exception {
        assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
        for (Firmware f : List.of(Firmware.UEFI, Firmware.UEFI_SECURE_BOOT)) {
            assumeTrue(VirtualNode.unavailableReason(f).isEmpty(), VirtualNode.unavailableReason(f));
        }
        BusyboxBoot boot = BusyboxBoot.create(work.resolve("root"));
        root = boot.root();
        net = VirtualNetwork.create("nb-uefi", "10.96.0.0/24");
        cluster = boot.clusterBuilder(net, "uefi")
                .node("ipxenode", "52:54:00:96:00:11", "10.96.0.11")
                .node("syslinuxnode", "52:54:00:96:00:12", "10.96.0.12")
                .node("shimnode", "52:54:00:96:00:13", "10.96.0.13")
                .uefiChain("syslinuxnode", UefiChain.SYSLINUX)
                .uefiChain("shimnode", UefiChain.SHIM_GRUB)
                .with(Kerrighed.session(9).minimumNodes(3))
                .workFolder(work.resolve("cluster"))
                .build();
        assertThat(PxeBootTree.of(cluster).missing()).as("loaders of every chain installed").isEmpty();
        firmware.put("ipxenode", Firmware.UEFI);
        firmware.put("syslinuxnode", Firmware.UEFI);
        firmware.put("shimnode", Firmware.UEFI_SECURE_BOOT);
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
    void threeChainsBootToTheirNfsRootThroughTheFirmwaresOwnPxe() throws Exception {
        Map<String, VirtualNode> nodes = new LinkedHashMap<>();
        for (Node n : cluster.nodes()) {
            nodes.put(n.hostname(), net.powerOn(n, firmware.get(n.hostname()), work.resolve(n.hostname() + ".console")));
        }
        for (VirtualNode n : nodes.values()) {
            n.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
        }
        running.awaitAll(NodeState.UP, Duration.ofMinutes(1));
        System.out.println(running.statusTable());
        // listeners run on the cluster's event thread: wait until they saw everything so far
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        for (Node n : cluster.nodes()) {
            var report = root.report(n.hostname());
            assertThat(report).as("report of %s", n.hostname()).isPresent();
            assertThat(report.get().address()).isEqualTo(Ipv4.format(n.address()));
            assertThat(report.get().kernelArguments()).as("the profile's and Kerrighed's arguments through %s", cluster.uefiChain(n))
                    .contains("console=ttyS0", "root=/dev/nfs", "session_id=9", "node_id=" + Ipv4.lastOctet(n.address()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.NodeUp u && u.address().equals(n.address()));
        }

        List<String> ipxe = nodes.get("ipxenode").console();
        assertThat(ipxe).anyMatch(l -> l.contains("NBP filename is snponly.efi")).anyMatch(l -> l.contains("iPXE"));
        assertSent("ipxenode", "snponly.efi", "boot.ipxe");

        List<String> syslinux = nodes.get("syslinuxnode").console();
        assertThat(syslinux).anyMatch(l -> l.contains("NBP filename is syslinux.efi")).noneMatch(l -> l.contains("iPXE"));
        assertSent("syslinuxnode", "syslinux.efi", "ldlinux.e64", "pxelinux.cfg/01-52-54-00-96-00-12");

        List<String> shim = nodes.get("shimnode").console();
        assertThat(shim).anyMatch(l -> l.contains("NBP filename is shimx64.efi"))
                .anyMatch(l -> l.contains("netboot4j: shimnode loads " + cluster.boot().kernelFileName()))
                .anyMatch(l -> l.contains("secureboot: Secure boot enabled"))
                .noneMatch(l -> l.contains("iPXE"));
        assertSent("shimnode", "shimx64.efi", "grubx64.efi", "grub/grub.cfg", "grub/grub.cfg-01-52-54-00-96-00-13");

        for (VirtualNode n : nodes.values()) {
            assertThat(n.awaitExit(Duration.ofMinutes(1))).as("QEMU exit of %s (guest powered off)", n.name()).isZero();
        }
    }

    private void assertSent(String hostname, String... files) {
        try {
            assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        Node node = cluster.nodeByName(hostname).orElseThrow();
        for (String f : files) {
            assertThat(events).as("%s fetched %s", hostname, f)
                    .anyMatch(e -> e instanceof BootEvent.FileSent s && s.address().equals(node.address()) && s.file().replaceFirst("^/", "").equals(f));
        }
        assertThat(events).as("%s fetched the kernel", hostname).anyMatch(e -> e instanceof BootEvent.FileSent s
                && s.address().equals(node.address()) && s.file().endsWith(cluster.boot().kernelFileName()));
    }
}
