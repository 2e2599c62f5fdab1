package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.testkit.VirtualNode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU's iPXE option ROM (Debian ipxe-qemu) as the DHCP client: it gets the node's address
 * from the embedded server and then asks the head (siaddr) over TFTP for the iPXE boot
 * file, proving file and siaddr of the offer are what iPXE uses.
 */
@Tag("e2e")
class IpxeFirmwareTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ipxeRomGetsItsAddressAndFetchesTheIpxeBootFileFromTheNextServer() throws Exception {
        try (TestNet net = new TestNet()) {
            Cluster cluster = TestClusters.cluster(net.head.seam());
            TestClusters.Events events = new TestClusters.Events();
            MacAddress mac = MacAddress.parse(TestClusters.NODE1_MAC);
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events));
                 DatagramChannel tftp = net.head.seam().openUdp(new InetSocketAddress(Ipv4.parse("10.77.0.1"), 69))) {
                server.start();
                tftp.configureBlocking(true);
                try (VirtualNode node = VirtualNode.builder(net.head, mac).bridge("br0").start()) {
                    ByteBuffer rrq = ByteBuffer.allocate(600);
                    InetSocketAddress from = (InetSocketAddress) tftp.receive(rrq);
                    assertThat(from.getAddress().getHostAddress()).isEqualTo("10.77.0.101");
                    byte[] b = rrq.array();
                    assertThat(b[1]).as("TFTP read request").isEqualTo((byte) 1);
                    int end = 2;
                    while (end < rrq.position() && b[end] != 0) {
                        end++;
                    }
                    assertThat(new String(b, 2, end - 2, StandardCharsets.US_ASCII)).isEqualTo("boot.ipxe");
                }
                assertThat(events.of(BootEvent.AddressOffered.class)).anySatisfy(e -> assertThat(e.macAddress()).isEqualTo(mac));
                assertThat(events.of(BootEvent.AddressAcknowledged.class)).anySatisfy(e -> {
                    assertThat(e.macAddress()).isEqualTo(mac);
                    assertThat(e.address().getHostAddress()).isEqualTo("10.77.0.101");
                });
                assertThat(server.counters().malformed()).isZero();
            }
        }
    }
}
