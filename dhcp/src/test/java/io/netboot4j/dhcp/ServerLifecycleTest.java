package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start checks, close, and the dynamic pool's leases across a restart, with real udhcpc clients. */
@Tag("integration")
class ServerLifecycleTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        TestNet.assumeUdhcpc();
    }

    @Test
    void startFailsClearlyWithoutTheInterfaceOrItsAddress() throws Exception {
        try (TestNet net = new TestNet()) {
            Cluster wrongInterface = Cluster.builder("kerrighed")
                    .network(n -> n.interfaceName("eth9").subnet("10.77.0.0/24").server("10.77.0.1"))
                    .node("kerrighednode1", TestClusters.NODE1_MAC, "10.77.0.101")
                    .boot(x -> x.kernel(Path.of("/boot/vmlinuz"))).rootFilesystem(r -> r.path("/nfsroot/k"))
                    .networkSeam(net.head.seam()).build();
            try (EmbeddedDhcpServer s = new EmbeddedDhcpServer(TestClusters.context(wrongInterface, tmp, new TestClusters.Events()))) {
                assertThatThrownBy(s::start).isInstanceOf(IOException.class).hasMessageContaining("'eth9' does not exist");
            }
            Cluster wrongAddress = Cluster.builder("kerrighed")
                    .network(n -> n.interfaceName("br1").subnet("10.77.0.0/24").server("10.77.0.1"))
                    .node("kerrighednode1", TestClusters.NODE1_MAC, "10.77.0.101")
                    .boot(x -> x.kernel(Path.of("/boot/vmlinuz"))).rootFilesystem(r -> r.path("/nfsroot/k"))
                    .networkSeam(net.head.seam()).build();
            try (EmbeddedDhcpServer s = new EmbeddedDhcpServer(TestClusters.context(wrongAddress, tmp, new TestClusters.Events()))) {
                assertThatThrownBy(s::start).isInstanceOf(IOException.class)
                        .hasMessageContaining("'br1' does not carry the server address 10.77.0.1").hasMessageContaining("10.78.0.1");
            }
            EmbeddedDhcpServer s = new EmbeddedDhcpServer(TestClusters.context(TestClusters.cluster(net.head.seam()), tmp,
                    new TestClusters.Events()));
            s.start();
            assertThat(s.endpoints()).containsKey("dhcp");
            assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
            s.close();
            s.close();
            assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRestartKeepsEveryLeaseOfTheDynamicPool() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace a = net.client("br0", "02:00:00:00:aa:01");
            NetworkNamespace b = net.client("br0", "02:00:00:00:aa:02");
            NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam(),
                    x -> x.with(DhcpSettings.builder().dynamicPool("10.77.0.200", "10.77.0.201").build()));
            Path script = TestNet.envScript(tmp);
            Path work = Files.createDirectories(tmp.resolve("work"));
            String addressA;
            String addressB;
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, work, new TestClusters.Events()))) {
                server.start();
                addressA = bound(TestNet.udhcpc(a, script)).get("ip");
                addressB = bound(TestNet.udhcpc(b, script)).get("ip");
                assertThat(bound(TestNet.udhcpc(node, script))).containsEntry("ip", "10.77.0.101");
                assertThat(Files.readString(server.leaseFile())).contains(addressA + " 02:00:00:00:aa:01 BOUND")
                        .contains(addressB + " 02:00:00:00:aa:02 BOUND");
            }
            assertThat(addressA).isNotEqualTo(addressB).startsWith("10.77.0.20");
            TestClusters.Events events = new TestClusters.Events();
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, work, events))) {
                server.start();
                // Asked in the other order after the restart, each still gets its own address.
                assertThat(bound(TestNet.udhcpc(b, script))).containsEntry("ip", addressB);
                assertThat(bound(TestNet.udhcpc(a, script))).containsEntry("ip", addressA);
                assertThat(bound(TestNet.udhcpc(node, script))).containsEntry("ip", "10.77.0.101");
                NetworkNamespace c = net.client("br0", "02:00:00:00:aa:03");
                CommandResult full = TestNet.udhcpc(c, script);
                assertThat(full.exitCode()).as("the pool of two is taken: " + full.output()).isNotZero();
            }
        }
    }

    @Test
    void garbageOnTheWireIsCountedAndNeverAnswered() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace sender = net.client("br0", "02:00:00:00:bb:01");
            sender.ip("addr", "add", "10.77.0.60/24", "dev", "eth0");
            Cluster cluster = TestClusters.cluster(net.head.seam());
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, new TestClusters.Events()));
                 java.nio.channels.DatagramChannel ch = sender.seam().openUdp(new java.net.InetSocketAddress(68))) {
                server.start();
                ch.setOption(java.net.StandardSocketOptions.SO_BROADCAST, true);
                java.util.Random random = new java.util.Random(42);
                int sent = 200;
                for (int i = 0; i < sent; i++) {
                    byte[] junk = new byte[random.nextInt(1, 1400)];
                    random.nextBytes(junk);
                    junk[0] = 1; // looks like a BOOTREQUEST, so it is parsed
                    String to = i % 2 == 0 ? "10.77.0.255" : "10.77.0.1"; // subnet broadcast and unicast
                    ch.send(java.nio.ByteBuffer.wrap(junk), new java.net.InetSocketAddress(io.netboot4j.core.Ipv4.parse(to), 67));
                }
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (server.counters().received() + server.counters().rejected() < sent && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(300);
                DhcpCounters c = server.counters();
                // most never reach the decoder: their fixed header is not an Ethernet request
                assertThat(c.received() + c.rejected()).isEqualTo(sent);
                assertThat(c.rejected()).isPositive();
                assertThat(c.malformed() + c.ignored() + c.unknownClients()).isEqualTo(c.received());
                assertThat(c.replies()).isZero();
                assertThat(c.internalErrors()).isZero();
                ch.configureBlocking(false);
                assertThat(ch.receive(java.nio.ByteBuffer.allocate(1500))).as("no reply").isNull();
            }
        }
    }

    private static Map<String, String> bound(CommandResult r) {
        assertThat(r.exitCode()).as(r.output()).isZero();
        return TestNet.envAt(r.output(), "bound");
    }
}
