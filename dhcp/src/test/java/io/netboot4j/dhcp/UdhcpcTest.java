package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.MacAddress;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** busybox udhcpc (Debian busybox-static) against the embedded server in network namespaces. */
@Tag("integration")
class UdhcpcTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        TestNet.assumeUdhcpc();
    }

    @Test
    void nodeGetsItsAddressAndBootOptionsAndStrangersGetNothing() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace node = net.client("br0", TestClusters.NODE1_MAC);
            NetworkNamespace stranger = net.client("br0", "02:00:00:00:99:99");
            NetworkNamespace otherSide = net.client("br1", TestClusters.NODE2_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam());
            TestClusters.Events events = new TestClusters.Events();
            Path script = TestNet.envScript(tmp);
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();

                CommandResult r = TestNet.udhcpc(node, script);
                assertThat(r.exitCode()).as(r.output()).isZero();
                Map<String, String> env = TestNet.envAt(r.output(), "bound");
                assertThat(env).containsEntry("ip", "10.77.0.101")
                        .containsEntry("subnet", "255.255.255.0")
                        .containsEntry("router", "10.77.0.1")
                        .containsEntry("broadcast", "10.77.0.255")
                        .containsEntry("dns", "10.77.0.1")
                        .containsEntry("domain", "kerrighed")
                        .containsEntry("hostname", "kerrighednode1")
                        .containsEntry("rootpath", "10.77.0.1:/nfsroot/kerrighed")
                        .containsEntry("siaddr", "10.77.0.1")
                        .containsEntry("sname", "kerrighedserver")
                        .containsEntry("boot_file", "pxelinux.0")
                        .containsEntry("serverid", "10.77.0.1")
                        .containsEntry("lease", "43200");
                MacAddress mac = MacAddress.parse(TestClusters.NODE1_MAC);
                assertThat(events.of(BootEvent.AddressOffered.class)).anySatisfy(e -> {
                    assertThat(e.macAddress()).isEqualTo(mac);
                    assertThat(e.address().getHostAddress()).isEqualTo("10.77.0.101");
                });
                assertThat(events.of(BootEvent.AddressAcknowledged.class)).anySatisfy(e -> {
                    assertThat(e.macAddress()).isEqualTo(mac);
                    assertThat(e.renewal()).isFalse();
                });

                CommandResult s = TestNet.udhcpc(stranger, script);
                assertThat(s.exitCode()).as(s.output()).isNotZero();
                assertThat(TestNet.envAt(s.output(), "bound")).isEmpty();
                assertThat(events.of(BootEvent.UnknownClientIgnored.class))
                        .as("one event per unknown MAC, however often it asks")
                        .singleElement().satisfies(e -> assertThat(e.macAddress()).isEqualTo(MacAddress.parse("02:00:00:00:99:99")));
                assertThat(server.counters().unknownClients()).isGreaterThanOrEqualTo(2);

                long before = server.counters().received();
                CommandResult o = TestNet.udhcpc(otherSide, script);
                assertThat(o.exitCode()).as(o.output()).isNotZero();
                assertThat(TestNet.envAt(o.output(), "bound")).isEmpty();
                assertThat(server.counters().received()).as("nothing from br1 reaches the server").isEqualTo(before);
                assertThat(server.counters().malformed()).isZero();
                assertThat(server.counters().internalErrors()).isZero();
            }
        }
    }
}
