package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import io.netboot4j.dhcp.DhcpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.dhcp4java.DHCPPacket;

/**
 * 10^5 datagrams straight into the packet-handling function: 50 000 random ones and 50 000
 * mutations of well-formed requests (bit flips, overwritten bytes, truncation, extension).
 * No exception escapes, nothing fails inside, random bytes get no reply, and whatever is
 * answered is a well-formed reply to that request.
 */
class DhcpEngineFuzzTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final AtomicLong EVENTS = new AtomicLong();
    static final DhcpEngine STATIC_ENGINE = new DhcpEngine(DhcpEngineTest.cluster(null), DhcpSettings.defaults(), null,
            e -> EVENTS.incrementAndGet());
    static final DhcpEngine POOL_ENGINE;

    static {
        try {
            Path dir = Files.createTempDirectory("nb-dhcp-fuzz");
            DhcpSettings s = DhcpSettings.builder().dynamicPool("10.77.0.200", "10.77.0.250").allowBootp().build();
            POOL_ENGINE = new DhcpEngine(DhcpEngineTest.cluster(s), s,
                    new LeaseStore(dir.resolve("leases"), Ipv4.parse("10.77.0.200"), Ipv4.parse("10.77.0.250"), Set.of()),
                    e -> EVENTS.incrementAndGet());
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @AfterContainer
    static void nothingFailedInside() {
        assertThat(STATIC_ENGINE.counters().internalErrors()).isZero();
        assertThat(POOL_ENGINE.counters().internalErrors()).isZero();
    }

    @Property(tries = 50_000)
    void randomBytesAreNeverAnswered(@ForAll @Size(max = 1600) byte[] data) {
        for (DhcpEngine e : List.of(STATIC_ENGINE, POOL_ENGINE)) {
            long malformedBefore = e.counters().malformed() + e.counters().ignored();
            assertThat(e.handle(data, data.length, NOW)).isNull();
            assertThat(e.counters().malformed() + e.counters().ignored()).isEqualTo(malformedBefore + 1);
            assertThat(e.counters().internalErrors()).isZero();
        }
    }

    @Property(tries = 50_000)
    void mutatedRequestsNeverBreakTheServer(@ForAll("mutated") byte[] data) {
        for (DhcpEngine e : List.of(STATIC_ENGINE, POOL_ENGINE)) {
            DhcpEngine.Reply r = e.handle(data, data.length, NOW);
            assertThat(e.counters().internalErrors()).isZero();
            if (r != null) {
                DHCPPacket request = DHCPPacket.getPacket(data, 0, data.length, true);
                DHCPPacket reply = DHCPPacket.getPacket(r.data(), 0, r.data().length, true);
                assertThat(reply.getOp()).isEqualTo((byte) 2);
                assertThat(reply.getXid()).isEqualTo(request.getXid());
                assertThat(reply.getChaddr()).isEqualTo(request.getChaddr());
                assertThat(r.data().length).isBetween(300, DhcpEngine.ABSOLUTE_MAX_REPLY);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> valid = Arbitraries.of(validRequests());
        Arbitrary<int[]> edits = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMinSize(1).ofMaxSize(8);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        return Combinators.combine(valid, edits, kind).as(DhcpEngineFuzzTest::mutate);
    }

    static byte[] mutate(byte[] original, int[] edits, int kind) {
        byte[] b = original.clone();
        switch (kind) {
            case 0 -> { // flip bits
                for (int x : edits) {
                    int pos = x % b.length;
                    b[pos] ^= (byte) (1 << (x >>> 17 & 7));
                }
            }
            case 1 -> { // overwrite bytes, favouring the options area
                for (int x : edits) {
                    int pos = 236 + x % (b.length - 236);
                    b[pos] = (byte) (x >>> 9);
                }
            }
            case 2 -> b = Arrays.copyOf(b, Math.max(0, b.length - 1 - edits[0] % b.length)); // truncate
            default -> { // extend with junk
                b = Arrays.copyOf(b, b.length + 1 + edits[0] % 1400);
                for (int i = original.length; i < b.length; i++) {
                    b[i] = (byte) (edits[i % edits.length] >>> (i & 7));
                }
            }
        }
        return b;
    }

    static List<byte[]> validRequests() {
        String node = DhcpEngineTest.NODE1;
        String stranger = DhcpEngineTest.STRANGER;
        DHCPPacket inform = Packets.request(DhcpEngine.INFORM, node);
        inform.setCiaddr(Ipv4.parse("10.77.0.101"));
        DHCPPacket release = Packets.request(DhcpEngine.RELEASE, node);
        release.setCiaddr(Ipv4.parse("10.77.0.101"));
        DHCPPacket decline = Packets.request(DhcpEngine.DECLINE, stranger);
        decline.setOptionAsInetAddress(DhcpEngine.OPT_REQUESTED_ADDRESS, Ipv4.parse("10.77.0.200"));
        DHCPPacket bootp = Packets.discover(node);
        bootp.setDhcp(false);
        bootp.removeAllOptions();
        DHCPPacket big = Packets.pxe(Packets.discover(node), 7);
        big.setOptionAsShort(DhcpEngine.OPT_MAX_SIZE, (short) 1500);
        return List.of(Packets.bytes(Packets.discover(node)), Packets.bytes(Packets.discover(stranger)),
                Packets.bytes(Packets.pxe(Packets.discover(node), 0)), Packets.bytes(big),
                Packets.bytes(Packets.selecting(node, "10.77.0.101", "10.77.0.1")),
                Packets.bytes(Packets.selecting(stranger, "10.77.0.200", "10.77.0.1")),
                Packets.bytes(Packets.initReboot(node, "10.77.0.150")), Packets.bytes(Packets.renewing(node, "10.77.0.101")),
                Packets.bytes(inform), Packets.bytes(release), Packets.bytes(decline), Packets.bytes(bootp));
    }
}
