package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.CsvSource;

/** The isc-dhcpd and kea providers start the real daemons on the cluster interface; udhcpc gets its address from them. */
@Tag("integration")
class ManagedDaemonTest {

    @TempDir
    Path tmp;

    @Test
    void everyProviderIsDiscovered() {
        assertThat(Providers.available(AddressAllocationProvider.class)).containsKeys("embedded", "isc-dhcpd", "kea");
    }

    @ParameterizedTest
    @CsvSource({"isc-dhcpd, dhcpd, isc-dhcp-server", "kea, kea-dhcp4, kea-dhcp4-server"})
    void daemonServesTheNodeAndStops(String provider, String program, String debianPackage) throws Exception {
        TestNet.assumeUdhcpc();
        assumeTrue(Commands.exists(program), "needs " + program + " from the Debian package " + debianPackage);
        try (TestNet net = new TestNet()) {
            NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
            NetworkNamespace stranger = net.client("br0", "02:00:00:00:99:95");
            Cluster cluster = TestClusters.cluster(net.head.seam());
            AddressAllocationProvider p = Providers.available(AddressAllocationProvider.class).get(provider);
            Path script = TestNet.envScript(tmp);
            Path work = Files.createDirectories(tmp.resolve(provider));
            ManagedDhcpServer server = (ManagedDhcpServer) p.create(TestClusters.context(cluster, work, new TestClusters.Events()));
            try (AddressAllocation s = server) {
                s.start();
                assertThat(server.isRunning()).isTrue();
                assertThat(server.configurationFile()).exists();
                CommandResult r = TestNet.udhcpc(node, script);
                assertThat(r.exitCode()).as(r.output() + "\n" + server.log()).isZero();
                Map<String, String> env = TestNet.envAt(r.output(), "bound");
                assertThat(env).as(server.log()).containsEntry("ip", "10.77.0.101")
                        .containsEntry("router", "10.77.0.1")
                        .containsEntry("hostname", "kerrighednode1")
                        .containsEntry("rootpath", "10.77.0.1:/nfsroot/kerrighed")
                        .containsEntry("boot_file", "pxelinux.0")
                        .containsEntry("siaddr", "10.77.0.1")
                        .containsEntry("sname", "kerrighedserver");
                CommandResult u = TestNet.udhcpc(stranger, script);
                assertThat(u.exitCode()).as("unknown clients get nothing: " + u.output()).isNotZero();
            }
            assertThat(server.isRunning()).isFalse();
        }
    }
}
