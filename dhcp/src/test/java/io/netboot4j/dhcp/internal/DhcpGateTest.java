package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Cheap rejection in front of the engine: the fixed header alone decides. */
class DhcpGateTest {

    static final InetAddress ZERO = Ipv4.parse("0.0.0.0");
    /** A frozen clock: no token comes back during a test. */
    static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    final List<BootEvent> events = new CopyOnWriteArrayList<>();

    private DhcpGate gate(boolean pool) {
        Cluster cluster = DhcpEngineTest.cluster(null);
        return new DhcpGate(cluster, Admission.of(cluster, FROZEN), pool,
                new FloodWatch("dhcp", events::add, FROZEN, LoggerFactory.getLogger(DhcpGateTest.class)), FROZEN);
    }

    private static byte[] discover(String mac) {
        return Packets.bytes(Packets.discover(mac));
    }

    @Test
    void wellFormedRequestsOfNodesPassUpToTheirRate() {
        DhcpGate g = gate(false);
        byte[] d = discover(DhcpEngineTest.NODE1);
        int passed = 0;
        for (int i = 0; i < 1000; i++) {
            passed += g.admits(d, d.length, ZERO) ? 1 : 0;
        }
        assertThat(passed).as("the default burst of a node: 100 requests").isEqualTo(100);
        byte[] other = discover("02:00:00:00:00:02");
        assertThat(g.admits(other, other.length, ZERO)).as("the neighbour is not slowed").isTrue();
        assertThat(g.rejected()).isEqualTo(900);
    }

    @Test
    void headerJunkIsDroppedBeforeDecoding() {
        DhcpGate g = gate(false);
        byte[] d = discover(DhcpEngineTest.NODE1);
        assertThat(g.admits(d, 235, ZERO)).as("truncated").isFalse();
        byte[] reply = d.clone();
        reply[0] = 2;
        assertThat(g.admits(reply, reply.length, ZERO)).as("a BOOTREPLY").isFalse();
        byte[] tokenRing = d.clone();
        tokenRing[1] = 6;
        assertThat(g.admits(tokenRing, tokenRing.length, ZERO)).isFalse();
        byte[] longHw = d.clone();
        longHw[2] = 16;
        assertThat(g.admits(longHw, longHw.length, ZERO)).isFalse();
        assertThat(g.rejected()).isEqualTo(4);
    }

    @Test
    void unknownMacsShareOneSmallRateAndAFloodIsReportedOnce() {
        DhcpGate g = gate(false);
        int passed = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] d = discover(String.format("02:66:00:00:%02x:%02x", i >> 8, i & 0xFF));
            passed += g.admits(d, d.length, ZERO) ? 1 : 0;
        }
        assertThat(passed).as("a burst of two seconds at 10 a second").isEqualTo(2 * DhcpGate.UNKNOWN_RATE_DENIED);
        assertThat(events).singleElement().isInstanceOf(BootEvent.FloodSuspected.class);
        byte[] node = discover(DhcpEngineTest.NODE1);
        assertThat(g.admits(node, node.length, ZERO)).as("a node is still served during the flood").isTrue();
        DhcpGate withPool = gate(true);
        passed = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] d = discover(String.format("02:66:00:00:%02x:%02x", i >> 8, i & 0xFF));
            passed += withPool.admits(d, d.length, ZERO) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(2 * DhcpGate.UNKNOWN_RATE_POOL);
    }

    @Property(tries = 2000)
    void randomBytesNeverThrowAndOnlyRequestShapedOnesPass(@ForAll @Size(max = 600) byte[] junk) {
        DhcpGate g = gate(false);
        boolean passed = g.admits(junk, junk.length, ZERO);
        if (passed) {
            assertThat(junk.length).isGreaterThanOrEqualTo(DhcpGate.HEADER);
            assertThat(junk[0]).isEqualTo((byte) 1);
            assertThat(junk[1]).isEqualTo((byte) 1);
            assertThat(junk[2]).isEqualTo((byte) 6);
        }
    }
}
