package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on a subnet behind a router boots over ISC dhcrelay: the head's bridge, a router
 * namespace forwarding between it and a far bridge and relaying DHCP, and a QEMU node with
 * iPXE firmware on the far bridge that boots the stock kernel to {@code UP} (DHCP through the
 * relay twice, TFTP and NFS routed). Timeouts are safety nets, not speed assertions.
 */
@Tag("e2e")
class RelayBootTest {

    private static final Duration BOOT = Duration.ofMinutes(8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void aNodeBehindARelayBootsToUp() throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        assumeTrue(Commands.exists("dhcrelay"), "needs dhcrelay from the Debian package isc-dhcp-relay");
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        DebianKernel kernel = DebianKernel.require();
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create("nb-relay", "10.86.0.0/24");
             NetworkNamespace router = NetworkNamespace.create("nb-rtr")) {
            // head br0 10.86.0.1 -- rpeer 10.86.0.254 [router: forwarding, dhcrelay] brfar 10.87.0.1 -- the far node's tap
            net.namespace().addVeth("vrouter", "rpeer", VirtualNetwork.BRIDGE, router);
            router.ip("addr", "add", "10.86.0.254/24", "dev", "rpeer").check();
            router.addBridge("brfar", "10.87.0.1/24");
            router.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").check();
            net.namespace().ip("route", "add", "10.87.0.0/24", "via", "10.86.0.254").check();
            // no_timer_check: on a loaded host, software emulation can fail the kernel's IO-APIC timer check (a panic).
            Cluster cluster = Cluster.builder("relay")
                    .network(n -> n.interfaceName(VirtualNetwork.BRIDGE).subnet(net.subnet()).server(net.server())
                            .relayedSubnet("10.87.0.0/24", "10.87.0.1"))
                    .networkSeam(net.namespace().seam())
                    .node("farnode1", "52:54:00:87:00:11", "10.87.0.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .workFolder(work.resolve("cluster"))
                    .build();
            Node node = cluster.nodes().getFirst();
            Path log = work.resolve("dhcrelay.log");
            Process relay = router.start(log, "dhcrelay", "-d", "-4", "-a", "-pf", work.resolve("dhcrelay.pid").toString(),
                    "-iu", "rpeer", "-id", "brfar", "10.86.0.1");
            try (RunningCluster running = cluster.start(events::add);
                 VirtualNode vm = VirtualNode.builder(router, node.mac()).name(node.hostname()).bridge("brfar")
                         .consoleLog(work.resolve("farnode1.console")).start()) {
                vm.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                running.await(node.hostname(), NodeState.UP, Duration.ofMinutes(1));
                System.out.println(running.statusTable());
                assertThat(root.report(node.hostname())).get().satisfies(r -> assertThat(r.address()).isEqualTo("10.87.0.11"));
                assertThat(vm.awaitExit(Duration.ofMinutes(1))).isZero();
            } finally {
                relay.destroy();
            }
            assertThat(Files.readString(log)).as("dhcrelay forwarded the node's requests").contains("Forwarded BOOTREQUEST");
            assertThat(events).anyMatch(e -> e instanceof BootEvent.AddressAcknowledged a && a.address().equals(node.address()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.FileSent f && f.address().equals(node.address())
                    && f.file().endsWith(cluster.boot().kernelFileName()));
        }
    }
}
