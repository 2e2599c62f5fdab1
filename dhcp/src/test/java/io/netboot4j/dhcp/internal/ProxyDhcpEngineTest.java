package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.ClusterConfigException;
import io.netboot4j.core.Ipv4;
import io.netboot4j.dhcp.DhcpSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** proxyDHCP answers (PXE 2.1 section 2.2.4, RFC 4578) straight from the engine. */
class ProxyDhcpEngineTest {

    private final List<BootEvent> events = new ArrayList<>();
    private final ProxyDhcpEngine engine = new ProxyDhcpEngine(DhcpEngineTest.cluster(DhcpSettings.builder().proxyDhcp().build()),
            events::add);

    private DhcpEngine.Reply port67(DHCPPacket p) {
        byte[] b = Packets.bytes(p);
        return engine.handleDhcp(b, b.length, DhcpEngineTest.NOW);
    }

    private DhcpEngine.Reply port4011(DHCPPacket p, String from) {
        byte[] b = Packets.bytes(p);
        return engine.handleBootServer(b, b.length, new InetSocketAddress(Ipv4.parse(from), 68), DhcpEngineTest.NOW);
    }

    @Test
    void pxeDiscoveryOfANodeGetsBootInformationAndNoAddress() {
        DhcpEngine.Reply r = port67(Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 0));
        DHCPPacket offer = Packets.parse(r.data());
        assertThat(offer.getDHCPMessageType()).isEqualTo(DhcpEngine.OFFER);
        assertThat(offer.getYiaddrRaw()).as("no address: the site's server gives it").containsOnly(0);
        assertThat(offer.getSiaddr().getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(offer.getSname()).isEqualTo("kerrighedserver");
        assertThat(offer.getFile()).isEqualTo("pxelinux.0");
        assertThat(offer.getOptionAsString(DhcpEngine.OPT_VENDOR_CLASS)).isEqualTo("PXEClient");
        assertThat(offer.getOptionAsInetAddr(DhcpEngine.OPT_SERVER_ID).getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(offer.getOptionRaw(DhcpEngine.OPT_CLIENT_GUID)).hasSize(17);
        assertThat(offer.getOptionRaw(DhcpEngine.OPT_VENDOR_SPECIFIC)).containsExactly(6, 1, 8, 255);
        assertThat(offer.containsOption(DhcpEngine.OPT_LEASE_TIME)).isFalse();
        assertThat(offer.containsOption(DhcpEngine.OPT_MASK)).as("network options are the site's").isFalse();
        assertThat(r.to().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(r.port()).isEqualTo(68);

        DHCPPacket ipxe = Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 0);
        ipxe.setOptionRaw(DhcpEngine.OPT_USER_CLASS, "iPXE".getBytes(StandardCharsets.US_ASCII));
        DHCPPacket ipxeOffer = Packets.parse(port67(ipxe).data());
        assertThat(ipxeOffer.getFile()).isEqualTo("boot.ipxe");
        assertThat(ipxeOffer.containsOption(DhcpEngine.OPT_IPXE_ENCAP)).as("no-pxedhcp would make iPXE skip us").isFalse();

        DHCPPacket uefi = Packets.parse(port67(Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 7)).data());
        DhcpEngine plain = new DhcpEngine(DhcpEngineTest.cluster(null), DhcpSettings.defaults(), null, e -> { });
        assertThat(uefi.getFile()).as("the loader the DHCP server gives UEFI")
                .isEqualTo(Packets.parse(DhcpEngineTest.send(plain, Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 7)).data()).getFile())
                .isNotEqualTo("pxelinux.0");
        assertThat(uefi.containsOption(DhcpEngine.OPT_VENDOR_SPECIFIC)).as("UEFI: no discovery control").isFalse();
    }

    @Test
    void aLiveChangeIsAnsweredFromTheNextDatagram() {
        io.netboot4j.core.Cluster start = DhcpEngineTest.cluster(DhcpSettings.builder().proxyDhcp().build());
        ProxyDhcpEngine e = new ProxyDhcpEngine(start, ev -> { });
        String added = "02:00:00:00:00:07";
        byte[] discover = Packets.bytes(Packets.pxe(Packets.discover(added), 0));
        assertThat(e.handleDhcp(discover, discover.length, DhcpEngineTest.NOW)).as("not a node yet").isNull();
        e.update(start.toBuilder().node("kerrighednode7", added, "10.77.0.107").removeNode("kerrighednode1")
                .boot(b -> b.uefiChain(io.netboot4j.core.UefiChain.GRUB)).build());
        DhcpEngine.Reply r = e.handleDhcp(discover, discover.length, DhcpEngineTest.NOW);
        assertThat(r).as("added live").isNotNull();
        assertThat(Packets.parse(r.data()).getFile()).isEqualTo("pxelinux.0");
        byte[] uefi = Packets.bytes(Packets.pxe(Packets.discover(added), 7));
        assertThat(Packets.parse(e.handleDhcp(uefi, uefi.length, DhcpEngineTest.NOW).data()).getFile())
                .as("the changed profile's UEFI chain").isEqualTo("grubx64.efi");
        byte[] removed = Packets.bytes(Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 0));
        assertThat(e.handleDhcp(removed, removed.length, DhcpEngineTest.NOW)).as("removed live").isNull();
    }

    @Test
    void othersAreLeftToTheSitesServer() {
        assertThat(port67(Packets.discover(DhcpEngineTest.NODE1))).as("a node's non-PXE client (the kernel)").isNull();
        assertThat(port67(Packets.discover(DhcpEngineTest.STRANGER))).as("a laptop").isNull();
        assertThat(port67(Packets.pxe(Packets.discover(DhcpEngineTest.STRANGER), 0))).as("a stranger's PXE ROM").isNull();
        assertThat(events).singleElement().isInstanceOf(BootEvent.UnknownClientIgnored.class);
        assertThat(engine.counters().offers()).isZero();
        assertThat(engine.counters().unknownClients()).isEqualTo(1);
        assertThat(engine.counters().ignored()).isEqualTo(2);
    }

    @Test
    void addressesAreLearnedFromRequestsAndBootServerRequestsAreAcknowledged() {
        DHCPPacket selecting = Packets.pxe(Packets.selecting(DhcpEngineTest.NODE1, "10.77.0.101", "10.77.0.250"), 0);
        assertThat(port67(selecting)).as("the request is for the site's server").isNull();
        assertThat(engine.learnedAddress(io.netboot4j.core.MacAddress.parse(DhcpEngineTest.NODE1)).getHostAddress())
                .isEqualTo("10.77.0.101");
        assertThat(events).singleElement().isInstanceOfSatisfying(BootEvent.AddressAcknowledged.class,
                a -> assertThat(a.address().getHostAddress()).isEqualTo("10.77.0.101"));

        DHCPPacket boot = Packets.pxe(Packets.request(DhcpEngine.REQUEST, DhcpEngineTest.NODE1), 0);
        boot.setCiaddr(Ipv4.parse("10.77.0.101"));
        DhcpEngine.Reply r = port4011(boot, "10.77.0.101");
        DHCPPacket ack = Packets.parse(r.data());
        assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(ack.getYiaddrRaw()).containsOnly(0);
        assertThat(ack.getCiaddr().getHostAddress()).isEqualTo("10.77.0.101");
        assertThat(ack.getFile()).isEqualTo("pxelinux.0");
        assertThat(ack.getOptionAsString(DhcpEngine.OPT_VENDOR_CLASS)).isEqualTo("PXEClient");
        assertThat(r.to().getHostAddress()).isEqualTo("10.77.0.101");
        assertThat(r.port()).isEqualTo(68);
        assertThat(engine.counters().acks()).isEqualTo(1);

        // The site's server gave another address than the description's: learned, and a problem reported.
        DHCPPacket other = Packets.pxe(Packets.request(DhcpEngine.REQUEST, DhcpEngineTest.NODE1), 0);
        other.setCiaddr(Ipv4.parse("10.77.0.150"));
        assertThat(port4011(other, "10.77.0.150")).isNotNull();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.ServiceProblem.class,
                p -> assertThat(p.message()).contains("got 10.77.0.150", "says 10.77.0.101")));
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() {
        byte[] junk = {1, 2, 3};
        assertThat(engine.handleDhcp(junk, junk.length, DhcpEngineTest.NOW)).isNull();
        assertThat(engine.handleBootServer(junk, junk.length, new InetSocketAddress(0), DhcpEngineTest.NOW)).isNull();
        assertThat(engine.counters().malformed()).isEqualTo(2);
        assertThat(engine.counters().internalErrors()).isZero();
    }

    @net.jqwik.api.Property(tries = 5000)
    void mutatedRequestsNeverEscapeOrFailInside(@net.jqwik.api.ForAll int position, @net.jqwik.api.ForAll byte value,
                                                @net.jqwik.api.ForAll boolean bootServerPort) {
        byte[] b = Packets.bytes(Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 0));
        b[Math.floorMod(position, b.length)] = value;
        int length = Math.floorMod(position >>> 8, b.length + 1);
        ProxyDhcpEngine e = new ProxyDhcpEngine(DhcpEngineTest.cluster(DhcpSettings.builder().proxyDhcp().build()), ev -> { });
        DhcpEngine.Reply r = bootServerPort ? e.handleBootServer(b, length, new InetSocketAddress(Ipv4.parse("10.77.0.101"), 68),
                DhcpEngineTest.NOW) : e.handleDhcp(b, length, DhcpEngineTest.NOW);
        if (r != null) {
            assertThat(Packets.parse(r.data()).getYiaddrRaw()).containsOnly(0);
        }
        assertThat(e.counters().internalErrors()).isZero();
    }

    @Test
    void proxyModeRejectsAPoolAndTheDaemonProviders() {
        assertThatThrownBy(() -> DhcpEngineTest.cluster(DhcpSettings.builder().proxyDhcp().dynamicPool("10.77.0.200", "10.77.0.210")
                .build())).isInstanceOf(ClusterConfigException.class).hasMessageContaining("proxyDHCP mode gives no addresses");
        assertThatThrownBy(() -> DhcpEngineTest.cluster(DhcpSettings.builder().proxyDhcp().build()).toBuilder()
                .addressAllocation("kea").build()).isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("proxyDHCP mode is served by the embedded DHCP provider only, not by kea");
        assertThat(DhcpSettings.builder().proxyDhcp().build().routerAdvertisements()).as("the link is the site's").isFalse();
        assertThat(DhcpSettings.builder().proxyDhcp().routerAdvertisements(true).build().routerAdvertisements()).isTrue();
        assertThat(DhcpSettings.defaults().routerAdvertisements()).isTrue();
    }
}
