package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.dhcp.DhcpSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** A running engine given a changed cluster ({@link DhcpEngine#update(Cluster)}) answers as the new description says. */
class DhcpEngineUpdateTest {

    static final String NODE2 = "02:00:00:00:00:02";
    static final String NEW = "02:00:00:00:00:07";

    final List<BootEvent> events = new ArrayList<>();

    @Test
    void aNewNodeIsOfferedItsAddressAndARemovedOneGetsNothingButANakForItsRenewal() {
        Cluster before = DhcpEngineTest.cluster(null);
        DhcpEngine e = new DhcpEngine(before, DhcpSettings.defaults(), null, events::add);
        assertThat(DhcpEngineTest.send(e, Packets.discover(NEW))).as("not a node yet").isNull();
        assertThat(DhcpEngineTest.send(e, Packets.selecting(NODE2, "10.77.0.102", "10.77.0.1"))).isNotNull();

        Cluster after = before.toBuilder().node("kerrighednode7", NEW, "10.77.0.107").removeNode("kerrighednode2").build();
        e.update(after);

        DHCPPacket offer = DhcpEngineTest.parse(DhcpEngineTest.send(e, Packets.discover(NEW)));
        assertThat(offer.getDHCPMessageType()).isEqualTo(DhcpEngine.OFFER);
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo("10.77.0.107");
        assertThat(offer.getOptionAsString(DhcpEngine.OPT_HOSTNAME)).isEqualTo("kerrighednode7");

        events.clear();
        assertThat(DhcpEngineTest.send(e, Packets.discover(NODE2))).as("removed: no offer").isNull();
        assertThat(events).singleElement().isInstanceOf(BootEvent.UnknownClientIgnored.class);
        DhcpEngine.Reply nak = DhcpEngineTest.send(e, Packets.renewing(NODE2, "10.77.0.102"));
        assertThat(DhcpEngineTest.parse(nak).getDHCPMessageType()).isEqualTo(DhcpEngine.NAK);
        assertThat(events.getLast()).isInstanceOfSatisfying(BootEvent.AddressRefused.class,
                r -> assertThat(r.reason()).contains("kerrighednode2 was removed"));
        assertThat(DhcpEngineTest.parse(DhcpEngineTest.send(e, Packets.initReboot(NODE2, "10.77.0.102"))).getDHCPMessageType())
                .as("INIT-REBOOT after a reboot").isEqualTo(DhcpEngine.NAK);

        e.update(after.toBuilder().node("kerrighednode2", NODE2, "10.77.0.112").build());
        DHCPPacket back = DhcpEngineTest.parse(DhcpEngineTest.send(e, Packets.selecting(NODE2, "10.77.0.112", "10.77.0.1")));
        assertThat(back.getDHCPMessageType()).as("added again with a new address").isEqualTo(DhcpEngine.ACK);
        assertThat(DhcpEngineTest.parse(DhcpEngineTest.send(e, Packets.renewing(NODE2, "10.77.0.102"))).getDHCPMessageType())
                .as("its old address").isEqualTo(DhcpEngine.NAK);
    }

    /**
     * One change: add, remove, or change the address and kernel arguments of node {@code index};
     * move it to the next group (none, a, b); or give group a or b (by the index's parity) the
     * next root (the cluster's, one folder, another).
     */
    record Change(int kind, int index) {
    }

    /** Two folders group roots can name (they must exist: build() checks). */
    static final List<java.nio.file.Path> ROOTS = folders();

    private static List<java.nio.file.Path> folders() {
        try {
            java.nio.file.Path a = java.nio.file.Files.createTempDirectory("nb4j-group-root-a");
            java.nio.file.Path b = java.nio.file.Files.createTempDirectory("nb4j-group-root-b");
            a.toFile().deleteOnExit();
            b.toFile().deleteOnExit();
            return List.of(a, b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The next of none, a, b after {@code now}. */
    private static String nextGroup(java.util.Optional<String> now) {
        return now.isEmpty() ? "a" : now.get().equals("a") ? "b" : null;
    }

    static final int UNIVERSE = 6;

    static String mac(int i) {
        return String.format("02:00:00:00:01:%02x", i);
    }

    static ClusterBuilder apply(ClusterBuilder b, Cluster now, Change c) {
        String name = "node" + c.index();
        var existing = now.nodeByName(name);
        return switch (c.kind()) {
            case 0 -> existing.isPresent() ? b : b.node(name, mac(c.index()), "10.77.0." + (10 + c.index()));
            case 1 -> existing.isPresent() ? b.removeNode(name) : b;
            case 3 -> existing.isEmpty() ? b : b.nodeGroup(name, nextGroup(existing.get().group()));
            case 4 -> {
                String group = c.index() % 2 == 0 ? "a" : "b";
                var root = now.group(group).orElseThrow().rootFilesystem().map(r -> r.path());
                yield root.isEmpty() ? b.groupRoot(group, r -> r.path(ROOTS.get(0)))
                        : root.get().equals(ROOTS.get(0)) ? b.groupRoot(group, r -> r.path(ROOTS.get(1))) : b.clearGroupRoot(group);
            }
            default -> existing.isEmpty() ? b : b.removeNode(name).node(name, mac(c.index()),
                    existing.get().address().getHostAddress().equals("10.77.0." + (10 + c.index()))
                            ? "10.77.0." + (50 + c.index()) : "10.77.0." + (10 + c.index()), "quiet", "change=" + c.hashCode());
        };
    }

    @Provide
    Arbitrary<Change> changes() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, UNIVERSE - 1))
                .as(Change::new);
    }

    /**
     * Any sequence of changes (nodes added, removed, changed, moved between groups; group roots
     * given, moved, withdrawn) applied to a running engine gives, for every MAC that ever was
     * a node, the same DISCOVER and REQUEST answers (byte for byte, option 17 included) as a fresh engine of the
     * final description, except that a node removed on the way gets a DHCPNAK where the
     * fresh engine, knowing nothing of it, stays silent.
     */
    @Property(tries = 200)
    void changesAppliedLiveAnswerAsAFreshEngine(@ForAll @Size(max = 12) List<@net.jqwik.api.From("changes") Change> changes) {
        Cluster start = DhcpEngineTest.cluster(null).toBuilder().group("a", g -> { }).group("b", g -> { }).build();
        DhcpEngine live = new DhcpEngine(start, DhcpSettings.defaults(), null, ev -> { });
        Cluster now = start;
        Set<MacAddress> everNode = new HashSet<>(start.nodes().stream().map(Node::mac).toList());
        for (Change c : changes) {
            now = apply(now.toBuilder(), now, c).build();
            now.nodes().forEach(n -> everNode.add(n.mac()));
            live.update(now);
        }
        DhcpEngine fresh = new DhcpEngine(now, DhcpSettings.defaults(), null, ev -> { });
        List<String> macs = new ArrayList<>(List.of(DhcpEngineTest.NODE1, NODE2, DhcpEngineTest.STRANGER));
        for (int i = 0; i < UNIVERSE; i++) {
            macs.add(mac(i));
        }
        for (String m : macs) {
            MacAddress mac = MacAddress.parse(m);
            assertSame(DhcpEngineTest.send(live, Packets.discover(m)), DhcpEngineTest.send(fresh, Packets.discover(m)), m);
            for (String a : List.of("10.77.0.101", "10.77.0.102", "10.77.0.10", "10.77.0.53")) {
                DhcpEngine.Reply l = DhcpEngineTest.send(live, Packets.initReboot(m, a));
                DhcpEngine.Reply f = DhcpEngineTest.send(fresh, Packets.initReboot(m, a));
                if (now.nodeByMac(mac).isEmpty() && everNode.contains(mac)) {
                    assertThat(f).as("fresh engine, unknown " + m).isNull();
                    assertThat(DhcpEngineTest.parse(l).getDHCPMessageType()).as("removed " + m).isEqualTo(DhcpEngine.NAK);
                } else {
                    assertSame(l, f, m + " asking for " + a);
                }
            }
        }
    }

    private static void assertSame(DhcpEngine.Reply live, DhcpEngine.Reply fresh, String what) {
        if (fresh == null) {
            assertThat(live).as(what).isNull();
            return;
        }
        assertThat(live).as(what).isNotNull();
        assertThat(live.data()).as(what).isEqualTo(fresh.data());
        assertThat(live.to()).as(what).isEqualTo(fresh.to());
        assertThat(live.type()).as(what).isEqualTo(fresh.type());
    }
}
