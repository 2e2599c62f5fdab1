package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterConfigException;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.dhcp.internal.KeaControlSocket;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kea hot-standby pair rendered by {@link KeaConfig}: {@code kea-dhcp4 -t} loads the hooks
 * but does not check the HA parameters, so the pair is proven by running it: two kea-dhcp4 in
 * two namespaces on one link reach the {@code hot-standby} state (asked through their control
 * sockets), udhcpc gets its address from the primary, the standby holds the same lease, and
 * once the primary stops the standby goes {@code partner-down} and gives the next node its address.
 */
class KeaHighAvailabilityTest {

    @TempDir
    Path tmp;

    private static final KeaHighAvailability PAIR = KeaHighAvailability.hotStandby("head1", "10.77.0.1", "head2", "10.77.0.2");

    private static Cluster head(NetworkSeam seam, String me, String iface, String address) {
        return TestClusters.cluster(seam).toBuilder().network(n -> n.interfaceName(iface).server(address).router("10.77.0.1"))
                .addressAllocation(KeaDhcpProvider.NAME).with(PAIR.thisServer(me)).build();
    }

    @Test
    void eachHeadsConfigurationNamesItselfAndBothPeers() {
        String primary = KeaConfig.render(head(NetworkSeam.host(), "head1", "br0", "10.77.0.1"), tmp.resolve("l.csv"), 67);
        String standby = KeaConfig.render(head(NetworkSeam.host(), "head2", "eth0", "10.77.0.2"), tmp.resolve("l.csv"), 67);
        for (String c : List.of(primary, standby)) {
            assertThat(c).contains("libdhcp_lease_cmds.so\"", "libdhcp_ha.so\"", "\"mode\": \"hot-standby\"",
                    "{ \"name\": \"head1\", \"url\": \"http://10.77.0.1:8001/\", \"role\": \"primary\", \"auto-failover\": true }",
                    "{ \"name\": \"head2\", \"url\": \"http://10.77.0.2:8001/\", \"role\": \"standby\", \"auto-failover\": true }",
                    "\"http-dedicated-listener\": true");
        }
        assertThat(primary).contains("\"this-server-name\": \"head1\"");
        assertThat(standby).contains("\"this-server-name\": \"head2\"");
    }

    @Test
    void buildListsEveryProblemOfThePair() {
        assertThatThrownBy(() -> TestClusters.cluster(NetworkSeam.host(), b -> b.with(
                KeaHighAvailability.hotStandby("a", "10.77.0.5", "b", "10.9.0.2").thisServer("b").hooksFolder(tmp))))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("Kea HA: this server b has address 10.9.0.2, but the cluster's server address is 10.77.0.1")
                .hasMessageContaining("Kea HA peer address 10.9.0.2 is outside the subnet 10.77.0.0/24")
                .hasMessageContaining("Kea HA needs the kea address allocation provider: call addressAllocation(\"kea\")")
                .hasMessageContaining("Kea HA: no libdhcp_ha.so in " + tmp)
                .hasMessageContaining("Kea HA: no libdhcp_lease_cmds.so in " + tmp);
        assertThatThrownBy(() -> PAIR.thisServer("head3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this server 'head3' must be head1 or head2");
        assertThatThrownBy(() -> KeaHighAvailability.hotStandby("a", "10.0.0.1", "b", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Tag("integration")
    void aHotStandbyPairSyncsTheLeasesThePrimaryGivesAndTakesOver() throws Exception {
        TestNet.assumeUdhcpc();
        assumeTrue(Commands.exists("kea-dhcp4"), "needs kea-dhcp4 from the Debian package kea-dhcp4-server");
        assumeTrue(Files.isRegularFile(PAIR.hooksFolder().resolve(KeaHighAvailability.HA_LIBRARY)),
                "needs libdhcp_ha.so from the Debian package kea-dhcp4-server");
        try (TestNet net = new TestNet()) {
            NetworkNamespace second = net.client("br0", "02:00:00:00:ee:0b");
            second.ip("addr", "add", "10.77.0.2/24", "dev", "eth0").check();
            NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
            Cluster primary = head(net.head.seam(), "head1", "br0", "10.77.0.1");
            Cluster standby = head(second.seam(), "head2", "eth0", "10.77.0.2");
            Path w1 = Files.createDirectories(tmp.resolve("head1"));
            Path w2 = Files.createDirectories(tmp.resolve("head2"));
            KeaDhcpProvider p = new KeaDhcpProvider();
            try (KeaDhcp one = (KeaDhcp) p.create(TestClusters.context(primary, w1, new TestClusters.Events()));
                 KeaDhcp two = (KeaDhcp) p.create(TestClusters.context(standby, w2, new TestClusters.Events()))) {
                one.start();
                two.start();
                Path s1 = one.controlSocket();
                Path s2 = two.controlSocket();
                awaitState(s1, "hot-standby", one, two);
                awaitState(s2, "hot-standby", two, one);
                CommandResult r = TestNet.udhcpc(node, TestNet.envScript(tmp));
                assertThat(r.exitCode()).as(r.output() + "\n" + one.log()).isZero();
                assertThat(TestNet.envAt(r.output(), "bound")).containsEntry("ip", "10.77.0.101").containsEntry("serverid", "10.77.0.1");
                // the standby learned the lease from the primary (lease updates, libdhcp_lease_cmds.so)
                String lease = awaitLease(s2, "10.77.0.101", two);
                assertThat(lease).contains("\"result\": 0").containsIgnoringCase("\"hw-address\": \"" + TestClusters.NODE1_MAC + "\"");
                assertThat(one.log()).contains("HA_");
                // failover: the primary stops; after max-response-delay the standby is partner-down and answers
                one.close();
                awaitState(s2, "partner-down", two, one);
                node.ip("link", "set", "eth0", "down").check();
                node.ip("link", "set", "eth0", "address", TestClusters.NODE2_MAC).check();
                node.ip("link", "set", "eth0", "up").check();
                CommandResult r2 = TestNet.udhcpc(node, TestNet.envScript(tmp));
                assertThat(r2.exitCode()).as(r2.output() + "\n" + two.log()).isZero();
                assertThat(TestNet.envAt(r2.output(), "bound")).containsEntry("ip", "10.77.0.102").containsEntry("serverid", "10.77.0.2");
            }
        }
    }

    private static void awaitState(Path socket, String state, ManagedDhcpServer server, ManagedDhcpServer peer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = command(socket, "ha-heartbeat", null);
            if (last.contains("\"state\": \"" + state + "\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("kea never reached " + state + ": " + last + "\n" + server.log() + "\npeer:\n" + peer.log());
    }

    private static String awaitLease(Path socket, String address, ManagedDhcpServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = command(socket, "lease4-get", "{ \"ip-address\": \"" + address + "\" }");
            if (last.contains("\"result\": 0")) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the standby has no lease of " + address + ": " + last + "\n" + server.log());
    }

    /** One command on Kea's control socket; a refusal or no socket yet is returned as text, to wait on. */
    private static String command(Path socket, String command, String arguments) {
        try {
            return KeaControlSocket.command(socket, command, arguments, Duration.ofSeconds(5));
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
