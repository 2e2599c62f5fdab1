package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.dhcp.DhcpSettings;
import io.netboot4j.testkit.BusyboxBoot;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import io.netboot4j.testkit.VirtualNode.Firmware;
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
 * proxyDHCP beside a site's DHCP server: dnsmasq on another machine of the link (its own
 * network namespace) gives the addresses and nothing else; netboot4j runs in proxyDHCP mode
 * and gives the boot information on ports 67 and 4011; two QEMU nodes boot the stock kernel to
 * {@code UP} side by side: one with iPXE firmware (BIOS), one whose OVMF firmware does its own
 * UEFI PXE (the proxy gives it {@code snponly.efi}, whose iPXE then asks the proxy again).
 * Timeouts are safety nets, not speed assertions.
 */
@Tag("e2e")
class ProxyDhcpBootTest {

    private static final Duration BOOT = Duration.ofMinutes(8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void aNodeBootsWithAddressesFromTheSitesDnsmasqAndBootInformationFromTheProxy() throws Exception {
        assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
        assumeTrue(VirtualNode.unavailableReason(Firmware.UEFI).isEmpty(), VirtualNode.unavailableReason(Firmware.UEFI));
        assumeTrue(Commands.exists("dnsmasq"), "needs dnsmasq from the Debian package dnsmasq-base");
        BusyboxBoot boot = BusyboxBoot.create(work.resolve("root"));
        BusyboxRoot root = boot.root();
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create("nb-proxy", "10.96.0.0/24");
             NetworkNamespace site = NetworkNamespace.create("nb-site")) {
            Cluster cluster = boot.clusterBuilder(net, "proxy")
                    .node("proxynode1", "52:54:00:96:00:11", "10.96.0.11")
                    .node("proxyuefi1", "52:54:00:96:00:12", "10.96.0.12")
                    .with(DhcpSettings.builder().proxyDhcp().build())
                    .workFolder(work.resolve("cluster"))
                    .build();
            Node node = cluster.nodes().getFirst();
            Node uefi = cluster.nodes().getLast();
            // The site's DHCP server: another machine on the link, addresses only (a pool and a reservation), no boot options.
            net.namespace().addVeth("vsite", "eth0", VirtualNetwork.BRIDGE, site);
            site.ip("addr", "add", "10.96.0.2/24", "dev", "eth0").check();
            Path log = work.resolve("site-dnsmasq.log");
            Process dnsmasq = site.start(log, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--port=0", "--interface=eth0",
                    "--bind-interfaces", "--leasefile-ro", "--log-dhcp", "--pid-file=" + work.resolve("site-dnsmasq.pid"),
                    "--dhcp-range=10.96.0.100,10.96.0.150,255.255.255.0,1h",
                    "--dhcp-host=" + node.mac() + "," + Ipv4.format(node.address()) + "," + node.hostname(),
                    "--dhcp-host=" + uefi.mac() + "," + Ipv4.format(uefi.address()) + "," + uefi.hostname());
            try (RunningCluster running = cluster.start(events::add)) {
                waitForLog(log, "DHCP, IP range", dnsmasq);
                try (VirtualNode vm = net.powerOn(node, work.resolve("proxynode1.console"));
                     VirtualNode uvm = net.powerOn(uefi, Firmware.UEFI, work.resolve("proxyuefi1.console"))) {
                    vm.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                    uvm.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                    running.awaitAll(NodeState.UP, Duration.ofMinutes(1));
                    System.out.println(running.statusTable());
                    assertThat(running.statusTable()).containsPattern("proxynode1 .* UP ").containsPattern("proxyuefi1 .* UP ");
                    assertThat(root.report(node.hostname())).get().satisfies(r -> assertThat(r.address()).isEqualTo("10.96.0.11"));
                    assertThat(root.report(uefi.hostname())).get().satisfies(r -> assertThat(r.address()).isEqualTo("10.96.0.12"));
                    assertThat(vm.awaitExit(Duration.ofMinutes(1))).isZero();
                    assertThat(uvm.awaitExit(Duration.ofMinutes(1))).isZero();
                }
                String siteLog = Files.readString(log);
                assertThat(siteLog).as("the site's server gave the address").contains("DHCPACK(eth0) 10.96.0.11 " + node.mac())
                        .contains("DHCPACK(eth0) 10.96.0.12 " + uefi.mac());
            } finally {
                dnsmasq.destroy();
            }
            assertThat(events).anyMatch(e -> e instanceof BootEvent.AddressAcknowledged a && a.macAddress().equals(node.mac())
                    && a.address().equals(node.address()));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.FileSent f && f.address().equals(node.address())
                    && f.file().endsWith(cluster.boot().ipxeBootFile()));
            String loader = cluster.boot().uefiBootFile(cluster.uefiChain(uefi), false).orElseThrow();
            assertThat(events).as("the UEFI firmware's own PXE took %s from the proxy's answer", loader)
                    .anyMatch(e -> e instanceof BootEvent.FileSent f && f.address().equals(uefi.address()) && f.file().endsWith(loader));
            assertThat(events).anyMatch(e -> e instanceof BootEvent.AddressAcknowledged a && a.macAddress().equals(uefi.mac())
                    && a.address().equals(uefi.address()));
            assertThat(events).noneMatch(e -> e instanceof BootEvent.AddressOffered);
            assertThat(events).noneMatch(e -> e instanceof BootEvent.ServiceProblem);
        }
    }

    private static void waitForLog(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new IllegalStateException("dnsmasq did not start: " + (Files.exists(log) ? Files.readString(log) : "no log"));
            }
            Thread.sleep(100);
        }
    }
}
