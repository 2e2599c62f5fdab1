package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.net.InterfaceSocket;
import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class NetworkNamespaceTest {

    @BeforeEach
    void needsNamespaces() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
    }

    @Test
    void socketsOpenedThroughTheSeamLiveInTheNamespaceAndWorkFromOtherThreads() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("nb-tk")) {
            ns.addBridge("br0", "10.199.7.1/24");
            NetworkSeam seam = ns.seam();
            // The address exists only inside the namespace: binding it in the host fails.
            assertThatThrownBy(() -> NetworkSeam.host().openUdp(new InetSocketAddress(Ipv4.parse("10.199.7.1"), 0)))
                    .isInstanceOf(IOException.class);
            try (DatagramChannel a = seam.openUdp(new InetSocketAddress(Ipv4.parse("10.199.7.1"), 0));
                 DatagramChannel b = seam.openUdp(new InetSocketAddress(Ipv4.parse("10.199.7.1"), 0))) {
                var result = Thread.ofVirtual().start(() -> {
                    try {
                        a.send(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), b.getLocalAddress());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                result.join();
                ByteBuffer in = ByteBuffer.allocate(16);
                b.receive(in);
                assertThat(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
            seam.requireInterface("br0", Ipv4.parse("10.199.7.1"));
            assertThatThrownBy(() -> seam.requireInterface("br0", Ipv4.parse("10.199.7.2")))
                    .hasMessageContaining("does not carry the server address 10.199.7.2")
                    .hasMessageContaining("10.199.7.1");
            assertThatThrownBy(() -> seam.requireInterface("nosuch0", Ipv4.parse("10.199.7.1")))
                    .hasMessageContaining("'nosuch0' does not exist");
        }
    }

    @Test
    void interfaceSocketReceivesBroadcastsOnItsInterfaceOnly() throws Exception {
        try (NetworkNamespace head = NetworkNamespace.create("nb-tk");
             NetworkNamespace clientA = NetworkNamespace.create("nb-tk");
             NetworkNamespace clientB = NetworkNamespace.create("nb-tk")) {
            head.addBridge("br0", "10.199.8.1/24");
            head.addBridge("br1", "10.199.9.1/24");
            head.addVeth("vA", "eth0", "br0", clientA);
            head.addVeth("vB", "eth0", "br1", clientB);
            clientA.ip("addr", "add", "10.199.8.2/24", "dev", "eth0");
            clientB.ip("addr", "add", "10.199.9.2/24", "dev", "eth0");
            try (InterfaceSocket s = head.seam().openInterfaceUdp("br0", 0)) {
                broadcast(clientB, "10.199.9.255", s.port(), "other");
                broadcast(clientA, "10.199.8.255", s.port(), "mine");
                ByteBuffer in = ByteBuffer.allocate(64);
                InetSocketAddress from = null;
                for (int i = 0; i < 20 && from == null; i++) {
                    from = s.receive(in);
                }
                assertThat(from).isNotNull();
                assertThat(from.getAddress()).isEqualTo(Ipv4.parse("10.199.8.2"));
                assertThat(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)).isEqualTo("mine");
                in.clear();
                assertThat(s.receive(in)).as("the broadcast on br1 must not arrive").isNull();
            }
        }
    }

    private static void broadcast(NetworkNamespace from, String address, int port, String text) throws Exception {
        try (DatagramChannel ch = from.seam().openUdp(new InetSocketAddress(0))) {
            ch.setOption(java.net.StandardSocketOptions.SO_BROADCAST, true);
            ch.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress(Ipv4.parse(address), port));
        }
    }
}
