package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.dhcp.DhcpSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DhcpEngineTest {

    static final String NODE1 = "02:00:00:00:00:01";
    static final String STRANGER = "02:00:00:00:99:99";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    final List<BootEvent> events = new ArrayList<>();

    static Cluster cluster(DhcpSettings settings) {
        var b = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1").domain("kerrighed")
                        .serverName("kerrighedserver"))
                .node("kerrighednode1", NODE1, "10.77.0.101")
                .node("kerrighednode2", "02:00:00:00:00:02", "10.77.0.102")
                .boot(bb -> bb.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed"))
                .networkSeam(NetworkSeam.host());
        if (settings != null) {
            b.with(settings);
        }
        return b.build();
    }

    DhcpEngine engine() {
        return new DhcpEngine(cluster(null), DhcpSettings.defaults(), null, events::add);
    }

    DhcpEngine poolEngine(Path leases) {
        DhcpSettings s = DhcpSettings.builder().dynamicPool("10.77.0.200", "10.77.0.202").leaseTime(Duration.ofHours(1)).build();
        Cluster c = cluster(s);
        return new DhcpEngine(c, s, new LeaseStore(leases, Ipv4.parse("10.77.0.200"), Ipv4.parse("10.77.0.202"), Set.of()),
                events::add);
    }

    static DhcpEngine.Reply send(DhcpEngine e, DHCPPacket p) {
        byte[] b = Packets.bytes(p);
        return e.handle(b, b.length, NOW);
    }

    static DHCPPacket parse(DhcpEngine.Reply r) {
        return Packets.parse(r.data());
    }

    @Test
    void aNodesRootPathIsItsGroupsRootAndFollowsALiveMove() throws Exception {
        java.nio.file.Path storage = java.nio.file.Files.createDirectories(tmp.resolve("storage"));
        Cluster c = cluster(null).toBuilder().group("storage", b -> { }).groupRoot("storage", r -> r.path(storage).readOnly())
                .nodeGroup("kerrighednode2", "storage").build();
        DhcpEngine e = new DhcpEngine(c, DhcpSettings.defaults(), null, events::add);
        assertThat(parse(send(e, Packets.discover("02:00:00:00:00:02"))).getOptionAsString(DhcpEngine.OPT_ROOT_PATH))
                .isEqualTo("10.77.0.1:" + storage);
        assertThat(parse(send(e, Packets.discover(NODE1))).getOptionAsString(DhcpEngine.OPT_ROOT_PATH))
                .isEqualTo("10.77.0.1:/nfsroot/kerrighed");
        e.update(c.toBuilder().nodeGroup("kerrighednode1", "storage").nodeGroup("kerrighednode2", null).build());
        assertThat(parse(send(e, Packets.discover(NODE1))).getOptionAsString(DhcpEngine.OPT_ROOT_PATH))
                .isEqualTo("10.77.0.1:" + storage);
        assertThat(parse(send(e, Packets.discover("02:00:00:00:00:02"))).getOptionAsString(DhcpEngine.OPT_ROOT_PATH))
                .isEqualTo("10.77.0.1:/nfsroot/kerrighed");
    }

    @Test
    void offersTheNodeItsAddressWithTheClustersOptions() {
        DhcpEngine e = engine();
        DhcpEngine.Reply r = send(e, Packets.discover(NODE1));
        assertThat(r).isNotNull();
        DHCPPacket o = parse(r);
        assertThat(o.getOp()).isEqualTo((byte) 2);
        assertThat(o.getDHCPMessageType()).isEqualTo(DhcpEngine.OFFER);
        assertThat(o.getXid()).isEqualTo(0x12345678);
        assertThat(o.getYiaddr().getHostAddress()).isEqualTo("10.77.0.101");
        assertThat(o.getSiaddr().getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(o.getSname()).isEqualTo("kerrighedserver");
        assertThat(o.getFile()).isEqualTo("pxelinux.0");
        assertThat(o.getOptionAsInetAddr(DhcpEngine.OPT_SERVER_ID).getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(o.getOptionAsInteger(DhcpEngine.OPT_LEASE_TIME)).isEqualTo(43200);
        assertThat(o.getOptionAsInteger(DhcpEngine.OPT_T1)).isEqualTo(21600);
        assertThat(o.getOptionAsInteger(DhcpEngine.OPT_T2)).isEqualTo(37800);
        assertThat(o.getOptionAsInetAddr(DhcpEngine.OPT_MASK).getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(o.getOptionAsInetAddrs(DhcpEngine.OPT_ROUTER)).extracting(a -> a.getHostAddress()).containsExactly("10.77.0.1");
        assertThat(o.getOptionAsInetAddr(DhcpEngine.OPT_BROADCAST).getHostAddress()).isEqualTo("10.77.0.255");
        assertThat(o.getOptionAsString(DhcpEngine.OPT_HOSTNAME)).isEqualTo("kerrighednode1");
        assertThat(o.getOptionAsString(DhcpEngine.OPT_DOMAIN)).isEqualTo("kerrighed");
        assertThat(o.getOptionAsString(DhcpEngine.OPT_ROOT_PATH)).isEqualTo("10.77.0.1:/nfsroot/kerrighed");
        assertThat(o.containsOption(DhcpEngine.OPT_VENDOR_CLASS)).as("no PXEClient echo to a non-PXE client").isFalse();
        assertThat(r.to().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(r.port()).isEqualTo(68);
        assertThat(r.data().length).isGreaterThanOrEqualTo(300).isLessThanOrEqualTo(548);
        assertThat(events).singleElement().isInstanceOfSatisfying(BootEvent.AddressOffered.class,
                ev -> assertThat(ev.address().getHostAddress()).isEqualTo("10.77.0.101"));
    }

    @Test
    void requestsAreAcknowledgedOrRefusedPerRfc2131() {
        DhcpEngine e = engine();
        DHCPPacket ack = parse(send(e, Packets.selecting(NODE1, "10.77.0.101", "10.77.0.1")));
        assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(ack.getYiaddr().getHostAddress()).isEqualTo("10.77.0.101");
        assertThat(events.getLast()).isInstanceOfSatisfying(BootEvent.AddressAcknowledged.class, a -> assertThat(a.renewal()).isFalse());

        assertThat(send(e, Packets.selecting(NODE1, "10.77.0.101", "10.77.0.9"))).as("chose another server").isNull();

        DhcpEngine.Reply nak = send(e, Packets.initReboot(NODE1, "10.77.0.150"));
        assertThat(parse(nak).getDHCPMessageType()).isEqualTo(DhcpEngine.NAK);
        assertThat(parse(nak).getYiaddrRaw()).containsOnly(0);
        assertThat(nak.to().getHostAddress()).isEqualTo("255.255.255.255");
        assertThat(events.getLast()).isInstanceOf(BootEvent.AddressRefused.class);

        DhcpEngine.Reply renew = send(e, Packets.renewing(NODE1, "10.77.0.101"));
        assertThat(parse(renew).getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(renew.to().getHostAddress()).as("unicast to ciaddr").isEqualTo("10.77.0.101");
        assertThat(events.getLast()).isInstanceOfSatisfying(BootEvent.AddressAcknowledged.class, a -> assertThat(a.renewal()).isTrue());

        assertThat(send(e, Packets.initReboot(STRANGER, "10.77.0.150"))).as("silence to strangers, no NAK").isNull();
        assertThat(e.counters().naks()).isEqualTo(1);
        assertThat(e.counters().acks()).isEqualTo(2);
    }

    @Test
    void unknownClientsAreReportedOncePerMac() {
        DhcpEngine e = engine();
        for (int i = 0; i < 5; i++) {
            assertThat(send(e, Packets.discover(STRANGER))).isNull();
        }
        assertThat(send(e, Packets.discover("02:00:00:00:99:98"))).isNull();
        assertThat(events).hasSize(2).allMatch(ev -> ev instanceof BootEvent.UnknownClientIgnored);
        assertThat(e.counters().unknownClients()).isEqualTo(6);
    }

    @Test
    void pxeClientsGetTheBootFileOfTheirArchitectureAndTheirEchoes() {
        DhcpEngine e = engine();
        DHCPPacket bios = parse(send(e, Packets.pxe(Packets.discover(NODE1), 0)));
        assertThat(bios.getFile()).isEqualTo("pxelinux.0");
        assertThat(bios.getOptionAsString(DhcpEngine.OPT_VENDOR_CLASS)).isEqualTo("PXEClient");
        assertThat(bios.getOptionRaw(DhcpEngine.OPT_CLIENT_GUID)).hasSize(17).startsWith(0, 1, 2);
        assertThat(bios.getOptionRaw(DhcpEngine.OPT_VENDOR_SPECIFIC)).containsExactly(6, 1, 8, 255);

        assertThat(parse(send(e, Packets.pxe(Packets.discover(NODE1), 7))).getFile()).isEqualTo("snponly.efi");
        assertThat(parse(send(e, Packets.pxe(Packets.discover(NODE1), 9))).getFile()).isEqualTo("snponly.efi");
        assertThat(parse(send(e, Packets.pxe(Packets.discover(NODE1), 11))).getFile()).as("arm64: its own loader").isEqualTo("arm64/snponly.efi");
        assertThat(parse(send(e, Packets.pxe(Packets.discover(NODE1), 6))).getFile()).as("32-bit EFI: no x86-64 loader").isEmpty();

        DHCPPacket ipxe = Packets.pxe(Packets.discover(NODE1), 0);
        ipxe.setOptionRaw(DhcpEngine.OPT_USER_CLASS, "iPXE".getBytes(StandardCharsets.US_ASCII));
        DHCPPacket ipxeOffer = parse(send(e, ipxe));
        assertThat(ipxeOffer.getFile()).isEqualTo("boot.ipxe");
        assertThat(ipxeOffer.getSiaddr().getHostAddress()).isEqualTo("10.77.0.1");
        assertThat(ipxeOffer.getOptionRaw(DhcpEngine.OPT_VENDOR_SPECIFIC)).as("iPXE skips ProxyDHCP").containsExactly(6, 1, 8, 255);
        assertThat(ipxeOffer.getOptionRaw(DhcpEngine.OPT_IPXE_ENCAP)).as("175.176 no-pxedhcp = 1").containsExactly(176, 1, 1);
        DHCPPacket ipxe175 = Packets.pxe(Packets.discover(NODE1), 7);
        ipxe175.setOptionRaw(DhcpEngine.OPT_IPXE_ENCAP, new byte[] {(byte) 0xb1, 1, 1});
        DHCPPacket ipxe175Offer = parse(send(e, ipxe175));
        assertThat(ipxe175Offer.getFile()).isEqualTo("boot.ipxe");
        assertThat(ipxe175Offer.getOptionRaw(DhcpEngine.OPT_IPXE_ENCAP)).containsExactly(176, 1, 1);
        assertThat(bios.containsOption(DhcpEngine.OPT_IPXE_ENCAP)).as("only iPXE gets 175").isFalse();
    }

    @Test
    void informReleaseAndDeclineOfNodes() {
        DhcpEngine e = engine();
        DHCPPacket inform = Packets.request(DhcpEngine.INFORM, NODE1);
        inform.setCiaddr(Ipv4.parse("10.77.0.101"));
        DhcpEngine.Reply r = send(e, inform);
        DHCPPacket ack = parse(r);
        assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(ack.getYiaddrRaw()).containsOnly(0);
        assertThat(ack.containsOption(DhcpEngine.OPT_LEASE_TIME)).isFalse();
        assertThat(ack.getOptionAsString(DhcpEngine.OPT_ROOT_PATH)).isEqualTo("10.77.0.1:/nfsroot/kerrighed");
        assertThat(r.to().getHostAddress()).isEqualTo("10.77.0.101");

        DHCPPacket release = Packets.request(DhcpEngine.RELEASE, NODE1);
        release.setCiaddr(Ipv4.parse("10.77.0.101"));
        release.setOptionAsInetAddress(DhcpEngine.OPT_SERVER_ID, Ipv4.parse("10.77.0.1"));
        assertThat(send(e, release)).isNull();
        assertThat(events.getLast()).isInstanceOfSatisfying(BootEvent.AddressReleased.class, x -> assertThat(x.declined()).isFalse());

        DHCPPacket decline = Packets.request(DhcpEngine.DECLINE, NODE1);
        decline.setOptionAsInetAddress(DhcpEngine.OPT_REQUESTED_ADDRESS, Ipv4.parse("10.77.0.101"));
        assertThat(send(e, decline)).isNull();
        assertThat(events.getLast()).isInstanceOfSatisfying(BootEvent.AddressReleased.class, x -> assertThat(x.declined()).isTrue());
        assertThat(e.counters().releases()).isEqualTo(1);
        assertThat(e.counters().declines()).isEqualTo(1);
    }

    @Test
    void bootpIsIgnoredUnlessAllowed() {
        DHCPPacket bootp = Packets.discover(NODE1);
        bootp.setDhcp(false);
        bootp.removeAllOptions();
        DhcpEngine e = engine();
        assertThat(send(e, bootp)).isNull();
        assertThat(e.counters().ignored()).isEqualTo(1);

        DhcpSettings allow = DhcpSettings.builder().allowBootp().build();
        DhcpEngine open = new DhcpEngine(cluster(allow), allow, null, events::add);
        DhcpEngine.Reply r = send(open, bootp);
        DHCPPacket reply = parse(r);
        assertThat(reply.isDhcp()).isFalse();
        assertThat(reply.getYiaddr().getHostAddress()).isEqualTo("10.77.0.101");
        assertThat(reply.getFile()).isEqualTo("pxelinux.0");
        assertThat(r.data().length).isGreaterThanOrEqualTo(300);
        assertThat(open.counters().bootpReplies()).isEqualTo(1);
    }

    @Test
    void relayedRequestsAreAnsweredToTheRelay() {
        DhcpEngine e = engine();
        DHCPPacket d = Packets.discover(NODE1);
        d.setGiaddr(Ipv4.parse("10.77.0.254"));
        d.setOptionRaw(DhcpEngine.OPT_RELAY_AGENT, new byte[] {1, 3, 'b', 'r', '0'});
        DhcpEngine.Reply r = send(e, d);
        DHCPPacket relayed = parse(r);
        assertThat(relayed.getOptionRaw(DhcpEngine.OPT_RELAY_AGENT)).containsExactly(1, 3, 'b', 'r', '0');
        assertThat(relayed.getOptionsArray()[relayed.getOptionsArray().length - 1].getCode()).isEqualTo(DhcpEngine.OPT_RELAY_AGENT);
        assertThat(r.to().getHostAddress()).isEqualTo("10.77.0.254");
        assertThat(r.port()).isEqualTo(67);
        assertThat(parse(r).getGiaddr().getHostAddress()).isEqualTo("10.77.0.254");
    }

    @Test
    void maximumMessageSizeIsHonoured() {
        assertThat(DhcpEngine.maxReply(Packets.discover(NODE1))).isEqualTo(548);
        DHCPPacket big = Packets.discover(NODE1);
        big.setOptionAsShort(DhcpEngine.OPT_MAX_SIZE, (short) 1024);
        assertThat(DhcpEngine.maxReply(big)).isEqualTo(1024 - 28);
        big.setOptionAsShort(DhcpEngine.OPT_MAX_SIZE, (short) 100);
        assertThat(DhcpEngine.maxReply(big)).as("below the RFC minimum of 576").isEqualTo(548);
        big.setOptionAsShort(DhcpEngine.OPT_MAX_SIZE, (short) 9000);
        assertThat(DhcpEngine.maxReply(big)).isEqualTo(1472);
    }

    @Test
    void malformedAndForeignDatagramsAreDroppedAndCounted() {
        DhcpEngine e = engine();
        assertThat(e.handle(new byte[10], 10, NOW)).isNull();
        DHCPPacket reply = Packets.discover(NODE1);
        reply.setOp((byte) 2);
        assertThat(send(e, reply)).isNull();
        DHCPPacket tokenRing = Packets.discover(NODE1);
        tokenRing.setHtype((byte) 6);
        assertThat(send(e, tokenRing)).isNull();
        DHCPPacket badType = Packets.discover(NODE1);
        badType.setOptionRaw(DhcpEngine.OPT_MESSAGE_TYPE, new byte[] {1, 2});
        assertThat(send(e, badType)).isNull();
        DHCPPacket badRequested = Packets.initReboot(NODE1, "10.77.0.101");
        badRequested.setOptionRaw(DhcpEngine.OPT_REQUESTED_ADDRESS, new byte[] {10, 77});
        assertThat(send(e, badRequested)).isNull();
        assertThat(e.counters().malformed()).isEqualTo(4);
        assertThat(e.counters().ignored()).isEqualTo(1);
        assertThat(e.counters().replies()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void dynamicPoolGivesEachMacItsOwnAddressAndKeepsItAcrossARestart() {
        Path leases = tmp.resolve("dynamic.leases");
        DhcpEngine e = poolEngine(leases);
        String[] macs = {"02:00:00:00:10:01", "02:00:00:00:10:02", "02:00:00:00:10:03", "02:00:00:00:10:04"};
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DHCPPacket offer = parse(send(e, Packets.discover(macs[i])));
            String a = offer.getYiaddr().getHostAddress();
            assertThat(offer.containsOption(DhcpEngine.OPT_HOSTNAME)).isFalse();
            DHCPPacket ack = parse(send(e, Packets.selecting(macs[i], a, "10.77.0.1")));
            assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
            got.add(a);
        }
        assertThat(got).containsExactlyInAnyOrder("10.77.0.200", "10.77.0.201", "10.77.0.202");
        assertThat(send(e, Packets.discover(macs[3]))).as("pool exhausted").isNull();
        assertThat(send(e, Packets.initReboot(macs[3], got.get(0)))).as("no record of this client: silence").isNull();

        DhcpEngine restarted = poolEngine(leases);
        assertThat(restarted.pool().load()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            DHCPPacket ack = parse(send(restarted, Packets.initReboot(macs[i], got.get(i))));
            assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
            assertThat(parse(send(restarted, Packets.discover(macs[i]))).getYiaddr().getHostAddress()).isEqualTo(got.get(i));
        }
        assertThat(send(restarted, Packets.discover(macs[3]))).isNull();
        DHCPPacket stolen = parse(send(restarted, Packets.initReboot(macs[0], got.get(1))));
        assertThat(stolen.getDHCPMessageType()).as("another MAC's address").isEqualTo(DhcpEngine.NAK);

        DHCPPacket release = Packets.request(DhcpEngine.RELEASE, macs[1]);
        release.setCiaddr(Ipv4.parse(got.get(1)));
        assertThat(send(restarted, release)).isNull();
        DHCPPacket offer = parse(send(restarted, Packets.discover(macs[3])));
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo(got.get(1));
        assertThat(restarted.pool().leaseOf(MacAddress.parse(macs[3])).state()).isEqualTo(LeaseStore.State.OFFERED);
    }
}
