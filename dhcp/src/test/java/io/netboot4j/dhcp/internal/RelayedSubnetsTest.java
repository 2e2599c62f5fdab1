package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.dhcp.DhcpSettings;
import java.nio.file.Path;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** Requests through relay agents: the subnet by giaddr, option 118 (RFC 3011) or link selection (RFC 3527), its own options. */
class RelayedSubnetsTest {

    static final String NEAR = "02:00:00:00:00:01";
    static final String FAR = "02:00:00:00:00:02";

    static Cluster cluster() {
        return Cluster.builder("multi")
                .network(n -> n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1")
                        .relayedSubnet("10.88.0.0/24", "10.88.0.1")
                        .relayedSubnet("10.89.0.0/16", "10.89.0.1"))
                .node("near", NEAR, "10.77.0.101")
                .node("far", FAR, "10.88.0.11")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/multi"))
                .networkSeam(NetworkSeam.host())
                .build();
    }

    private final DhcpEngine engine = new DhcpEngine(cluster(), DhcpSettings.defaults(), null, e -> { });

    private DhcpEngine.Reply send(DHCPPacket p) {
        byte[] b = Packets.bytes(p);
        return engine.handle(b, b.length, DhcpEngineTest.NOW);
    }

    @Test
    void aRelayedNodeGetsItsSubnetsOptionsThroughTheRelay() {
        DHCPPacket d = Packets.discover(FAR);
        d.setGiaddr(Ipv4.parse("10.88.0.1"));
        d.setOptionRaw(DhcpEngine.OPT_RELAY_AGENT, new byte[] {1, 4, 'e', 't', 'h', '1'});
        DhcpEngine.Reply r = send(d);
        DHCPPacket offer = Packets.parse(r.data());
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo("10.88.0.11");
        assertThat(offer.getOptionAsInetAddrs(DhcpEngine.OPT_ROUTER)[0].getHostAddress()).isEqualTo("10.88.0.1");
        assertThat(offer.getOptionAsInetAddr(DhcpEngine.OPT_MASK).getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(offer.getOptionAsInetAddr(DhcpEngine.OPT_BROADCAST).getHostAddress()).isEqualTo("10.88.0.255");
        assertThat(offer.getSiaddr().getHostAddress()).as("next server: the head").isEqualTo("10.77.0.1");
        assertThat(offer.getOptionRaw(DhcpEngine.OPT_RELAY_AGENT)).containsExactly(1, 4, 'e', 't', 'h', '1');
        assertThat(r.to().getHostAddress()).isEqualTo("10.88.0.1");
        assertThat(r.port()).isEqualTo(67);

        DHCPPacket req = Packets.selecting(FAR, "10.88.0.11", "10.77.0.1");
        req.setGiaddr(Ipv4.parse("10.88.0.1"));
        DHCPPacket ack = Packets.parse(send(req).data());
        assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(ack.getOptionAsInetAddrs(DhcpEngine.OPT_ROUTER)[0].getHostAddress()).isEqualTo("10.88.0.1");

        // The attached node keeps the attached subnet's options.
        DHCPPacket near = Packets.parse(send(Packets.discover(NEAR)).data());
        assertThat(near.getOptionAsInetAddrs(DhcpEngine.OPT_ROUTER)[0].getHostAddress()).isEqualTo("10.77.0.1");
    }

    @Test
    void aNodeAskingFromAnotherSubnetThanItsAddressIsIgnored() {
        assertThat(send(Packets.discover(FAR))).as("far node plugged into the head's own link").isNull();
        DHCPPacket nearViaRelay = Packets.discover(NEAR);
        nearViaRelay.setGiaddr(Ipv4.parse("10.88.0.1"));
        assertThat(send(nearViaRelay)).isNull();
        DHCPPacket unknownRelay = Packets.discover(FAR);
        unknownRelay.setGiaddr(Ipv4.parse("192.168.5.1"));
        assertThat(send(unknownRelay)).as("a relay on no subnet of the cluster").isNull();
        assertThat(engine.counters().ignored()).isEqualTo(3);
        assertThat(engine.counters().offers()).isZero();
    }

    @Test
    void linkSelectionAndSubnetSelectionNameTheSubnetBeforeGiaddr() {
        // RFC 3527: the relay's giaddr is on another link (for example a loopback), sub-option 5 names the client's.
        DHCPPacket linkSelection = Packets.discover(FAR);
        linkSelection.setGiaddr(Ipv4.parse("10.77.0.254"));
        linkSelection.setOptionRaw(DhcpEngine.OPT_RELAY_AGENT, new byte[] {5, 4, 10, 88, 0, 0});
        DhcpEngine.Reply r = send(linkSelection);
        assertThat(Packets.parse(r.data()).getYiaddr().getHostAddress()).isEqualTo("10.88.0.11");
        assertThat(r.to().getHostAddress()).as("still answered to the relay").isEqualTo("10.77.0.254");

        DHCPPacket subnetSelection = Packets.discover(FAR);
        subnetSelection.setGiaddr(Ipv4.parse("10.77.0.254"));
        subnetSelection.setOptionRaw(Subnets.OPT_SUBNET_SELECTION, new byte[] {10, 88, 0, 0});
        assertThat(send(subnetSelection)).isNotNull();

        DHCPPacket bad = Packets.discover(FAR);
        bad.setOptionRaw(Subnets.OPT_SUBNET_SELECTION, new byte[] {10, 88});
        assertThat(send(bad)).isNull();
        DHCPPacket truncated = Packets.discover(FAR);
        truncated.setGiaddr(Ipv4.parse("10.88.0.1"));
        truncated.setOptionRaw(DhcpEngine.OPT_RELAY_AGENT, new byte[] {5, 4, 10, 88});
        assertThat(send(truncated)).isNull();
        assertThat(engine.counters().malformed()).isEqualTo(2);
    }
}
