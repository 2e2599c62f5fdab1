package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RunningCluster.update} with busybox udhcpc, for the embedded server and the real
 * ISC dhcpd and Kea daemons (re-rendered, checked, restarted or {@code config-reload}ed): a
 * node added while running gets its address, a node removed while holding a lease is
 * refused its renewal (the embedded server: DHCPNAK; dhcpd and Kea: no answer, as RFC 2131
 * 4.3.2 has for a client without a record) and then gets no lease.
 */
@Tag("integration")
class LiveUpdateTest {

    static final String NEW_MAC = "02:00:00:00:00:07";

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        TestNet.assumeUdhcpc();
    }

    /** Stand-ins for the other concerns, which take any change. */
    record Unchanging(String name) implements BootFileService, RootExport {
        @Override public void start() { }
        @Override public void close() { }
        @Override public boolean supportsUpdate(Cluster next) { return true; }
        @Override public void update(Cluster next) { }
    }

    /** A udhcpc hook that prints its reason and configures the address, so that renewals go out unicast as on a real node. */
    Path configuringScript() throws Exception {
        Path script = tmp.resolve("configure.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "HOOK $1 ip=$ip"
                case "$1" in
                  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/24" dev "$interface" ;;
                  deconfig) ip addr flush dev "$interface" ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @ParameterizedTest
    @CsvSource({"embedded, java, ''", "isc-dhcpd, dhcpd, isc-dhcp-server", "kea, kea-dhcp4, kea-dhcp4-server"})
    void anAddedNodeGetsItsAddressAndARemovedNodeIsRefusedItsRenewal(String provider, String program, String debianPackage) throws Exception {
        assumeTrue(Commands.exists(program), "needs " + program + " from the Debian package " + debianPackage);
        boolean embedded = provider.equals("embedded");
        String refused = embedded ? "HOOK nak" : "lease lost";
        try (TestNet net = new TestNet()) {
            NetworkNamespace added = net.client("br0", NEW_MAC);
            NetworkNamespace removed = net.client("br0", TestClusters.NODE2_MAC);
            BootFileServiceProvider files = new BootFileServiceProvider() {
                @Override public String name() { return "none"; }
                @Override public BootFileService create(ServiceContext c) { return new Unchanging("no boot files"); }
            };
            RootExportProvider root = new RootExportProvider() {
                @Override public String name() { return "none"; }
                @Override public RootExport create(ServiceContext c) { return new Unchanging("no root export"); }
            };
            Cluster cluster = TestClusters.cluster(net.head.seam(), b -> b.bootFiles(files).rootExport(root).workFolder(tmp)
                    .addressAllocation(provider));
            Path log = tmp.resolve("udhcpc-node2.log");
            Path pidFile = tmp.resolve("udhcpc-node2.pid");
            TestClusters.Events events = new TestClusters.Events();
            try (RunningCluster running = cluster.start(events::add)) {
                assertThat(TestNet.udhcpc(added, TestNet.envScript(tmp)).exitCode()).as("not a node yet").isNotZero();

                Process node2 = removed.start(log, "busybox", "udhcpc", "-f", "-i", "eth0", "-t", "3", "-T", "1", "-A", "1",
                        "-p", pidFile.toString(), "-s", configuringScript().toString());
                try {
                    if (embedded) {
                        running.await("kerrighednode2", NodeState.ADDRESSED, Duration.ofSeconds(20));
                    }
                    waitFor(log, "HOOK bound ip=10.77.0.102");

                    BootEvent.ClusterUpdated change = running.update(running.cluster().toBuilder()
                            .node("kerrighednode7", NEW_MAC, "10.77.0.107").removeNode("kerrighednode2").build());
                    assertThat(change.added()).containsExactly("kerrighednode7");
                    assertThat(change.removed()).containsExactly("kerrighednode2");

                    CommandResult r = TestNet.udhcpc(added, TestNet.envScript(tmp));
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    Map<String, String> env = TestNet.envAt(r.output(), "bound");
                    assertThat(env).containsEntry("ip", "10.77.0.107").containsEntry("hostname", "kerrighednode7");
                    if (embedded) {
                        assertThat(running.await("kerrighednode7", NodeState.ADDRESSED, Duration.ofSeconds(10)).state())
                                .isEqualTo(NodeState.ADDRESSED);
                    }
                    assertThat(running.statusTable()).contains("kerrighednode7").doesNotContain("kerrighednode2");

                    // SIGUSR1: busybox udhcpc renews at once (unicast DHCPREQUEST with ciaddr), as at T1
                    Commands.run("kill", "-USR1", Files.readString(pidFile).trim());
                    // The embedded server NAKs it (it remembers removed nodes); dhcpd and Kea keep RFC 2131
                    // 4.3.2's silence for a client they have no record of: the renewal goes unanswered
                    waitFor(log, refused);
                    if (embedded) {
                        // listeners run on the cluster's event thread: wait until they saw everything so far
                        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
                        assertThat(events.of(BootEvent.AddressRefused.class)).anySatisfy(e ->
                                assertThat(e.reason()).contains("kerrighednode2 was removed"));
                    }
                    waitFor(log, "HOOK deconfig");
                } finally {
                    node2.destroy();
                    node2.waitFor();
                }
                CommandResult again = TestNet.udhcpc(removed, TestNet.envScript(tmp));
                assertThat(again.exitCode()).as("removed: no lease").isNotZero();
                assertThat(TestNet.envAt(again.output(), "bound")).isEmpty();
                String all = Files.readString(log);
                assertThat(all.substring(all.indexOf("HOOK bound"))).as("no renewal granted").doesNotContain("HOOK renew");
                assertThat(all.substring(all.indexOf(refused))).as("no lease after the refusal").doesNotContain("HOOK bound");
            }
        }
    }

    /** Waits (at most 20 s) until the log holds {@code text}. */
    static void waitFor(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.readString(log).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' in the udhcpc log:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }
}
