package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.Node;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relayed DHCP: nodes on subnets behind routers get their addresses through relay agents.
 * ISC dhcrelay (Debian isc-dhcp-relay) in a router namespace between the head's bridge and a
 * far bridge, busybox udhcpc on the far side; Kea's perfdhcp as the relay of many subnets.
 */
@Tag("integration")
class RelayTest {

    @TempDir
    Path tmp;

    @Test
    void aNodeBehindIscDhcrelayGetsItsAddressAndItsSubnetsRouter() throws Exception {
        TestNet.assumeUdhcpc();
        assumeTrue(Commands.exists("dhcrelay"), "needs dhcrelay from the Debian package isc-dhcp-relay");
        try (TestNet net = new TestNet(); NetworkNamespace router = NetworkNamespace.create("nb-router");
             NetworkNamespace far = NetworkNamespace.create("nb-far")) {
            // head br0 10.77.0.1 -- eth0 10.77.0.254 [router, dhcrelay] brfar 10.88.0.1 -- eth0 of the far node
            net.head.addVeth("vrouter", "eth0", "br0", router);
            router.ip("addr", "add", "10.77.0.254/24", "dev", "eth0").check();
            router.addBridge("brfar", "10.88.0.1/24");
            router.addVeth("vfar", "farpeer", "brfar", far);
            far.ip("link", "set", "farpeer", "down").check();
            far.ip("link", "set", "farpeer", "name", "eth0").check();
            far.ip("link", "set", "eth0", "address", TestClusters.NODE2_MAC).check();
            far.ip("link", "set", "eth0", "up").check();
            router.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1").check();
            net.head.ip("route", "add", "10.88.0.0/24", "via", "10.77.0.254").check();
            Cluster cluster = Cluster.builder("kerrighed")
                    .network(n -> n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1").domain("kerrighed")
                            .relayedSubnet("10.88.0.0/24", "10.88.0.1"))
                    .node("kerrighednode1", TestClusters.NODE1_MAC, "10.77.0.101")
                    .node("farnode", TestClusters.NODE2_MAC, "10.88.0.11")
                    .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                    .rootFilesystem(r -> r.path("/nfsroot/kerrighed"))
                    .networkSeam(net.head.seam())
                    // a pool on each subnet: the head's own and the one behind the relay
                    .with(DhcpSettings.builder().dynamicPool("10.77.0.50", "10.77.0.59").dynamicPool("10.88.0.50", "10.88.0.59").build())
                    .build();
            TestClusters.Events events = new TestClusters.Events();
            Path relayLog = tmp.resolve("dhcrelay.log");
            Process relay = router.start(relayLog, "dhcrelay", "-d", "-4", "-a", "-pf", tmp.resolve("dhcrelay.pid").toString(),
                    "-iu", "eth0", "-id", "brfar", "10.77.0.1");
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                CommandResult r = TestNet.udhcpc(far, TestNet.envScript(tmp));
                assertThat(r.exitCode()).as(r.output() + "\ndhcrelay: " + read(relayLog)).isZero();
                Map<String, String> env = TestNet.envAt(r.output(), "bound");
                assertThat(env).containsEntry("ip", "10.88.0.11").containsEntry("router", "10.88.0.1")
                        .containsEntry("subnet", "255.255.255.0").containsEntry("broadcast", "10.88.0.255")
                        .containsEntry("hostname", "farnode").containsEntry("siaddr", "10.77.0.1")
                        .containsEntry("rootpath", "10.77.0.1:/nfsroot/kerrighed").containsEntry("serverid", "10.77.0.1");
                assertThat(events.of(BootEvent.AddressAcknowledged.class))
                        .anySatisfy(a -> assertThat(a.address().getHostAddress()).isEqualTo("10.88.0.11"));
                assertThat(server.counters().malformed()).isZero();
                // a machine that is not a node, on the far subnet: an address of the pool there (not the head's), its router
                far.ip("link", "set", "eth0", "address", "02:00:00:00:88:99").check();
                CommandResult u = TestNet.udhcpc(far, TestNet.envScript(tmp));
                assertThat(u.exitCode()).as(u.output() + "\ndhcrelay: " + read(relayLog)).isZero();
                assertThat(TestNet.envAt(u.output(), "bound")).containsEntry("ip", "10.88.0.50").containsEntry("router", "10.88.0.1")
                        .containsEntry("subnet", "255.255.255.0");
            } finally {
                relay.destroy();
            }
        }
    }

    @Test
    void perfdhcpRelaysManySubnetsAndEveryExchangeCompletes() throws Exception {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("perfdhcp"), "needs perfdhcp from the Debian package kea-admin");
        int subnets = 6;
        int perSubnet = 10;
        int exchanges = 100;
        try (TestNet net = new TestNet()) {
            NetworkNamespace relays = net.client("br0", "02:00:00:00:ee:02");
            relays.ip("addr", "add", "10.77.0.60/24", "dev", "eth0").check();
            ClusterBuilder b = Cluster.builder("perf")
                    .network(n -> {
                        n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1");
                        for (int s = 1; s <= subnets; s++) {
                            n.relayedSubnet("10.100." + s + ".0/24", "10.100." + s + ".1");
                        }
                    })
                    .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                    .rootFilesystem(r -> r.path("/nfsroot/perf"))
                    .networkSeam(net.head.seam());
            for (int s = 1; s <= subnets; s++) {
                // perfdhcp is the relay agent of subnet s: its giaddr is the subnet's router address.
                relays.ip("addr", "add", "10.100." + s + ".1/24", "dev", "eth0").check();
                net.head.ip("route", "add", "10.100." + s + ".0/24", "via", "10.77.0.60").check();
                b.nodes("s" + s + "n%02d", perSubnet, String.format("02:00:00:64:%02x:00", s), "10.100." + s + ".10");
            }
            Cluster cluster = b.build();
            TestClusters.Events events = new TestClusters.Events();
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                for (int s = 1; s <= subnets; s++) {
                    int subnet = s;
                    Path macs = tmp.resolve("macs-" + s);
                    Files.write(macs, cluster.nodes().stream().filter(n -> n.hostname().startsWith("s" + subnet + "n"))
                            .map(n -> n.mac().toString()).toList());
                    // One relay after the other: the exchanges of each subnet go through its own giaddr.
                    CommandResult r = relays.exec(Duration.ofSeconds(60), "perfdhcp", "-4", "-l", "10.100." + s + ".1",
                            "-r", "100", "-n", String.valueOf(exchanges), "-M", macs.toString(), "-d", "5", "-W", "5000000",
                            "10.77.0.1");
                    String out = r.output();
                    assertThat(r.exitCode()).as(out).isZero();
                    assertThat(PerfdhcpTest.numbers(out, "sent packets")).as(out).containsExactly((long) exchanges, (long) exchanges);
                    assertThat(PerfdhcpTest.numbers(out, "received packets")).as(out).containsExactly((long) exchanges, (long) exchanges);
                    assertThat(PerfdhcpTest.numbers(out, "rejected leases")).containsExactly(0L, 0L);
                }
                assertThat(server.counters().offers()).isEqualTo((long) subnets * exchanges);
                assertThat(server.counters().acks()).isEqualTo((long) subnets * exchanges);
                assertThat(server.counters().ignored()).isZero();
                assertThat(server.counters().malformed()).isZero();
                // Each node got its own address, on its own subnet.
                for (Node n : cluster.nodes()) {
                    assertThat(events.of(BootEvent.AddressAcknowledged.class)).filteredOn(a -> a.macAddress().equals(n.mac()))
                            .allSatisfy(a -> assertThat(a.address()).isEqualTo(n.address()));
                }
            }
        }
    }

    private static String read(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
