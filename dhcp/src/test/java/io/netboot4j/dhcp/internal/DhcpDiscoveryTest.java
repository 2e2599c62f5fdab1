package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Discovery;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.dhcp.DhcpSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** Discovery mode of the engine: unknown PXE clients get a discovery lease and no boot file, and are announced once. */
class DhcpDiscoveryTest {

    static final String MACHINE = "52:54:00:aa:bb:01";
    static final Instant NOW = DhcpEngineTest.NOW;

    final List<BootEvent> events = new ArrayList<>();

    static Cluster cluster(Discovery d) {
        return DhcpEngineTest.cluster(null).toBuilder().with(d).build();
    }

    static Discovery discovery(int records) {
        return Discovery.builder().pool("10.77.0.200", "10.77.0.209").records(records, Duration.ofHours(1)).build();
    }

    DhcpEngine engine(Cluster c, Path leases) {
        Discovery d = c.extension(Discovery.class).orElseThrow();
        return new DhcpEngine(c, DhcpSettings.of(c), null, new LeaseStore(leases, d.poolFirst(), d.poolLast(), Set.of()), events::add);
    }

    static DhcpEngine.Reply send(DhcpEngine e, DHCPPacket p, Instant at) {
        byte[] b = Packets.bytes(p);
        return e.handle(b, b.length, at);
    }

    @Test
    void anUnknownPxeClientGetsAShortDiscoveryLeaseWithoutABootFileAndIsAnnouncedOnce() throws IOException {
        Path leases = Files.createTempDirectory("discovery").resolve("discovery.leases");
        DhcpEngine e = engine(cluster(discovery(16)), leases);

        DHCPPacket offer = DhcpEngineTest.parse(send(e, Packets.pxe(Packets.discover(MACHINE), 7), NOW));
        assertThat(offer.getDHCPMessageType()).isEqualTo(DhcpEngine.OFFER);
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo("10.77.0.200");
        assertThat(offer.getFile()).as("the event and a wait: no boot file").isEmpty();
        assertThat(offer.getOptionAsInteger(DhcpEngine.OPT_LEASE_TIME)).isEqualTo(300);
        assertThat(offer.getOptionAsInteger(DhcpEngine.OPT_T1)).isEqualTo(150);
        assertThat(events).filteredOn(BootEvent.NodeDiscovered.class::isInstance).singleElement()
                .isInstanceOfSatisfying(BootEvent.NodeDiscovered.class, d -> {
                    assertThat(d.macAddress()).isEqualTo(MacAddress.parse(MACHINE));
                    assertThat(d.address()).isEqualTo(Ipv4.parse("10.77.0.200"));
                    assertThat(d.architecture()).isEqualTo(7);
                    assertThat(d.vendorClass()).isEqualTo("PXEClient:Arch:00000:UNDI:002001");
                    assertThat(d.guid()).isEqualTo("01020304-0506-0708-090a-0b0c0d0e0f10");
                    assertThat(d.relay()).isEmpty();
                    assertThat(d.describe()).contains(MACHINE, "architecture 7", "GUID 01020304");
                });

        events.clear();
        DHCPPacket again = DhcpEngineTest.parse(send(e, Packets.pxe(Packets.discover(MACHINE), 7), NOW.plusSeconds(5)));
        assertThat(again.getYiaddr().getHostAddress()).as("the same address again").isEqualTo("10.77.0.200");
        DHCPPacket ack = DhcpEngineTest.parse(send(e, Packets.pxe(Packets.selecting(MACHINE, "10.77.0.200", "10.77.0.1"), 7),
                NOW.plusSeconds(6)));
        assertThat(ack.getDHCPMessageType()).isEqualTo(DhcpEngine.ACK);
        assertThat(ack.getFile()).isEmpty();
        assertThat(events).noneMatch(BootEvent.NodeDiscovered.class::isInstance);
        assertThat(Files.readString(leases)).as("the discovery lease is written before the ACK").contains("10.77.0.200");

        events.clear();
        assertThat(send(e, Packets.discover("52:54:00:aa:bb:02"), NOW)).as("not PXE-booting: not discovery's").isNull();
        assertThat(events).singleElement().isInstanceOf(BootEvent.UnknownClientIgnored.class);
        events.clear();
        assertThat(send(e, Packets.initReboot("52:54:00:aa:bb:03", "10.77.0.203"), NOW)).as("a request nobody offered").isNull();
        assertThat(events).singleElement().isInstanceOf(BootEvent.UnknownClientIgnored.class);
    }

    @Test
    void anAdoptedMachineIsOfferedItsNodeAddressAndBootFile() throws IOException {
        Cluster before = cluster(discovery(16));
        DhcpEngine e = engine(before, Files.createTempDirectory("discovery").resolve("discovery.leases"));
        send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW);
        send(e, Packets.pxe(Packets.selecting(MACHINE, "10.77.0.200", "10.77.0.1"), 0), NOW);

        e.update(before.toBuilder().node("node01", MACHINE, "10.77.0.10").build());
        DHCPPacket offer = DhcpEngineTest.parse(send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW.plusSeconds(10)));
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo("10.77.0.10");
        assertThat(offer.getFile()).isEqualTo("pxelinux.0");
        assertThat(offer.getOptionAsInteger(DhcpEngine.OPT_LEASE_TIME)).isEqualTo((int) DhcpSettings.DEFAULT_LEASE_TIME.toSeconds());
        assertThat(offer.getOptionAsString(DhcpEngine.OPT_HOSTNAME)).isEqualTo("node01");
    }

    @Test
    void aFloodOfRandomMacsHoldsThePoolOnlyForAMinuteAndTheRecordsStayBounded() throws IOException {
        DhcpEngine e = engine(cluster(discovery(16)), Files.createTempDirectory("discovery").resolve("discovery.leases"));
        int offered = 0;
        for (int i = 0; i < 1000; i++) {
            if (send(e, Packets.pxe(Packets.discover(random(i)), 0), NOW) != null) {
                offered++;
            }
        }
        assertThat(offered).as("the pool's ten addresses").isEqualTo(10);
        assertThat(events).filteredOn(BootEvent.NodeDiscovered.class::isInstance).hasSize(10);
        assertThat(send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW.plusSeconds(30))).as("exhausted while the offers are held").isNull();
        DHCPPacket later = DhcpEngineTest.parse(send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW.plus(LeaseStore.OFFER_HOLD).plusSeconds(1)));
        assertThat(later.getDHCPMessageType()).as("unanswered offers lapse").isEqualTo(DhcpEngine.OFFER);
    }

    @Test
    void announcementsAreBoundedByTheRecordCount() throws IOException {
        DhcpEngine e = engine(cluster(discovery(4)), Files.createTempDirectory("discovery").resolve("discovery.leases"));
        send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW);
        for (int i = 0; i < 4; i++) {
            send(e, Packets.pxe(Packets.discover(random(i)), 0), NOW);
        }
        events.clear();
        send(e, Packets.pxe(Packets.discover(MACHINE), 0), NOW.plusSeconds(1));
        assertThat(events).as("forgotten (the oldest of more than 4), so announced again")
                .anyMatch(BootEvent.NodeDiscovered.class::isInstance);
    }

    @Test
    void aMachineBehindARelayIsReportedWithTheRelay() throws IOException {
        DhcpEngine e = engine(cluster(discovery(16)), Files.createTempDirectory("discovery").resolve("discovery.leases"));
        DHCPPacket relayed = Packets.pxe(Packets.discover(MACHINE), 9);
        relayed.setGiaddr(Ipv4.parse("10.77.0.250"));
        DhcpEngine.Reply offer = send(e, relayed, NOW);
        assertThat(offer.to()).as("answered through the relay").isEqualTo(Ipv4.parse("10.77.0.250"));
        assertThat(events).filteredOn(BootEvent.NodeDiscovered.class::isInstance).singleElement()
                .isInstanceOfSatisfying(BootEvent.NodeDiscovered.class, d -> {
                    assertThat(d.relay()).contains(Ipv4.parse("10.77.0.250"));
                    assertThat(d.architecture()).isEqualTo(9);
                    assertThat(d.describe()).contains("via relay 10.77.0.250");
                });
    }

    @Test
    void aDiscoveryLeaseSurvivesARestartOfTheServer() throws IOException {
        Path leases = Files.createTempDirectory("discovery").resolve("discovery.leases");
        Cluster c = cluster(discovery(16));
        DhcpEngine before = engine(c, leases);
        send(before, Packets.pxe(Packets.discover(MACHINE), 0), NOW);
        send(before, Packets.pxe(Packets.selecting(MACHINE, "10.77.0.200", "10.77.0.1"), 0), NOW);

        DhcpEngine after = engine(c, leases);
        assertThat(after.discoveryPool().load()).isEqualTo(1);
        DHCPPacket ack = DhcpEngineTest.parse(send(after, Packets.pxe(Packets.renewing(MACHINE, "10.77.0.200"), 0), NOW.plusSeconds(150)));
        assertThat(ack.getDHCPMessageType()).as("renewed after the restart").isEqualTo(DhcpEngine.ACK);
        DHCPPacket other = DhcpEngineTest.parse(send(after, Packets.pxe(Packets.discover("52:54:00:aa:bb:09"), 0), NOW.plusSeconds(151)));
        assertThat(other.getYiaddr().getHostAddress()).as("not given to another machine").isNotEqualTo("10.77.0.200");
    }

    @Test
    void guidsAreShownAsUuidsWhenTheyAreOne() {
        assertThat(Discoveries.guid(null)).isEmpty();
        assertThat(Discoveries.guid(new byte[] {1, 2, 3})).isEqualTo("010203");
    }

    static String random(long i) {
        return String.format("06:%02x:%02x:%02x:%02x:%02x", (i >> 32) & 0xFF, (i >> 24) & 0xFF, (i >> 16) & 0xFF, (i >> 8) & 0xFF,
                i & 0xFF);
    }

    /**
     * Whatever unknown PXE clients send and whenever: no two of them hold the same discovery
     * address, and once the flood has been quiet for the lease time, a new machine gets an
     * address (a flood never exhausts the pool for good).
     */
    @Property(tries = 60)
    void aFloodNeverExhaustsThePoolForGood(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 400) Integer> macs,
                                           @ForAll @LongRange(min = 0, max = 600) long spreadSeconds) throws IOException {
        List<BootEvent> ignore = new ArrayList<>();
        Cluster c = cluster(discovery(16));
        Discovery d = c.extension(Discovery.class).orElseThrow();
        DhcpEngine e = new DhcpEngine(c, DhcpSettings.of(c), null,
                new LeaseStore(Files.createTempDirectory("discovery").resolve("l"), d.poolFirst(), d.poolLast(), Set.of()), ignore::add);
        Instant t = NOW;
        for (int i = 0; i < macs.size(); i++) {
            t = NOW.plusMillis(spreadSeconds * 1000 * i / Math.max(1, macs.size()));
            String mac = random(macs.get(i));
            DhcpEngine.Reply offer = send(e, Packets.pxe(Packets.discover(mac), 0), t);
            if (offer != null && i % 2 == 0) {
                String a = DhcpEngineTest.parse(offer).getYiaddr().getHostAddress();
                send(e, Packets.pxe(Packets.selecting(mac, a, "10.77.0.1"), 0), t);
            }
        }
        Set<Integer> held = new HashSet<>();
        for (LeaseStore.Lease l : e.discoveryPool().all()) {
            if (l.state() == LeaseStore.State.BOUND && l.expires().isAfter(t)) {
                assertThat(held.add(l.address())).as("one holder per address").isTrue();
            }
        }
        Instant quiet = t.plus(d.leaseTime()).plusSeconds(1);
        assertThat(send(e, Packets.pxe(Packets.discover(MACHINE), 0), quiet)).as("a new machine after the flood").isNotNull();
    }
}
