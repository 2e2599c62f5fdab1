package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ISC dhclient (Debian isc-dhcp-client) against the embedded server in network namespaces. */
@Tag("integration")
class DhclientTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("dhclient"), "needs dhclient from the Debian package isc-dhcp-client");
    }

    /**
     * Runs dhclient in the foreground ({@code -d}) until it is bound, it gives up ({@code -1},
     * after its 8-second timeout), or 30 seconds pass; then stops it. The test owns the
     * process, so no dhclient outlives it.
     *
     * @return exit code 0 when bound, otherwise non-zero; output is dhclient's and the hook's
     */
    static CommandResult dhclient(NetworkNamespace client, Path dir, Path script) throws Exception {
        Path conf = dir.resolve("dhclient.conf");
        Files.writeString(conf, "timeout 8;\nretry 1;\nrequest subnet-mask, broadcast-address, routers, domain-name,"
                + " domain-name-servers, host-name, root-path;\n");
        Path pid = dir.resolve("dhclient-" + client.name() + ".pid");
        Path leases = dir.resolve("dhclient-" + client.name() + ".leases");
        Path log = dir.resolve("dhclient-" + client.name() + ".log");
        String[] cmd = {"dhclient", "-1", "-d", "-v", "-cf", conf.toString(), "-sf", script.toString(), "-pf", pid.toString(),
                "-lf", leases.toString(), "eth0"};
        Process p = client.start(log, cmd);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean bound = false;
        try {
            while (p.isAlive() && System.nanoTime() < deadline) {
                String out = Files.exists(log) ? Files.readString(log) : "";
                if (out.contains("HOOK  BOUND")) {
                    Thread.sleep(300); // let the hook finish printing
                    bound = true;
                    break;
                }
                Thread.sleep(100);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        return new CommandResult(java.util.List.of(cmd), bound ? 0 : (p.exitValue() == 0 ? 1 : p.exitValue()), Files.readString(log));
    }

    @Test
    void nodeGetsItsAddressHostNameRouterRootPathAndBootFile() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace node = net.client("br0", TestClusters.NODE2_MAC);
            NetworkNamespace stranger = net.client("br0", "02:00:00:00:99:97");
            Cluster cluster = TestClusters.cluster(net.head.seam());
            TestClusters.Events events = new TestClusters.Events();
            Path script = TestNet.envScript(tmp);
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                CommandResult r = dhclient(node, tmp, script);
                assertThat(r.exitCode()).as(r.output()).isZero();
                Map<String, String> env = TestNet.envAt(r.output(), "BOUND");
                assertThat(env).as(r.output())
                        .containsEntry("new_ip_address", "10.77.0.102")
                        .containsEntry("new_subnet_mask", "255.255.255.0")
                        .containsEntry("new_routers", "10.77.0.1")
                        .containsEntry("new_broadcast_address", "10.77.0.255")
                        .containsEntry("new_domain_name", "kerrighed")
                        .containsEntry("new_domain_name_servers", "10.77.0.1")
                        .containsEntry("new_host_name", "kerrighednode2")
                        .containsEntry("new_root_path", "10.77.0.1:/nfsroot/kerrighed")
                        .containsEntry("new_filename", "pxelinux.0")
                        .containsEntry("new_server_name", "kerrighedserver")
                        .containsEntry("new_dhcp_server_identifier", "10.77.0.1")
                        .containsEntry("new_dhcp_lease_time", "43200");
                assertThat(events.of(BootEvent.AddressAcknowledged.class)).isNotEmpty();

                CommandResult s = dhclient(stranger, tmp, script);
                assertThat(s.exitCode()).as(s.output()).isNotZero();
                assertThat(TestNet.envAt(s.output(), "BOUND")).isEmpty();
                assertThat(events.of(BootEvent.UnknownClientIgnored.class)).hasSize(1);
            }
        }
    }
}
