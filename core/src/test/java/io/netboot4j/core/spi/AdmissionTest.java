package io.netboot4j.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    static final InetAddress NODE1 = Ipv4.parse("10.0.1.1");
    static final InetAddress NODE2 = Ipv4.parse("10.0.1.2");
    static final InetAddress STRANGER = Ipv4.parse("10.0.9.9");
    static final InetAddress OTHER_STRANGER = Ipv4.parse("10.0.9.10");

    private final MutableClock clock = new MutableClock();

    private Admission admission(Consumer<HeadBudget.Builder> budget) {
        ClusterBuilder b = Cluster.builder("lab")
                .network(n -> n.interfaceName("eth0").subnet("10.0.0.0/16").server("10.0.0.1"))
                .nodes("n%d", 2, "52:54:00:00:00:01", "10.0.1.1")
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/root"))
                .budget(budget);
        return Admission.of(b.build(), clock);
    }

    @Test
    void unknownSourcesAreRefusedByDefaultAndCounted() {
        Admission a = admission(b -> { });
        assertThat(a.request(STRANGER)).contains(Admission.Refusal.UNKNOWN_SOURCE);
        assertThat(a.transfer(STRANGER, 1024)).isEmpty();
        assertThat(a.connection(STRANGER)).isEmpty();
        assertThat(a.bytes(STRANGER, 10)).isEmpty();
        assertThat(a.request(NODE1)).isEmpty();
        assertThat(a.request(MacAddress.parse("52:54:00:00:00:02"), Ipv4.parse("0.0.0.0"))).isEmpty();
        assertThat(a.request(MacAddress.parse("52:54:00:00:00:99"), Ipv4.parse("0.0.0.0")))
                .contains(Admission.Refusal.UNKNOWN_SOURCE);
        assertThat(a.counters().refusedUnknown()).isEqualTo(5);
        assertThat(a.isNode(NODE2)).isTrue();
        assertThat(a.isNode(STRANGER)).isFalse();
    }

    @Test
    void aNodeKeepsItsOwnTransferWhenTheSharedPartIsSpent() {
        // 3 transfers for 2 nodes: one shared; unknown sources may hold it
        Admission a = admission(b -> b.transfers(3).unknownShare(0.5).unknownSources(new HeadBudget.SourceLimit(5, 5, 100)));
        assertThat(a.transfer(STRANGER, 0)).isPresent();
        assertThat(a.transfer(STRANGER, 0)).as("the shared part is spent").isEmpty();
        assertThat(a.counters().refusedBudget()).isEqualTo(1);
        Optional<Admission.Permit> own1 = a.transfer(NODE1, 0);
        Optional<Admission.Permit> own2 = a.transfer(NODE2, 0);
        assertThat(own1).isPresent();
        assertThat(own2).isPresent();
        assertThat(a.transfer(NODE1, 0)).as("a second transfer needs the shared part").isEmpty();
        own1.get().close();
        own1.get().close(); // idempotent
        assertThat(a.transfer(NODE1, 0)).isPresent();
    }

    @Test
    void theSharedPartFollowsALiveChangeOfTheNodeList() {
        // 4 transfers for 2 nodes: two shared, both for unknown sources (share 0.5 of 4)
        ClusterBuilder b = Cluster.builder("lab")
                .network(n -> n.interfaceName("eth0").subnet("10.0.0.0/16").server("10.0.0.1"))
                .nodes("n%d", 2, "52:54:00:00:00:01", "10.0.1.1")
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/root"))
                .budget(x -> x.transfers(4).unknownShare(0.5).unknownSources(new HeadBudget.SourceLimit(1, 5, 100)));
        Cluster two = b.build();
        Admission a = Admission.of(two, clock);
        Optional<Admission.Permit> first = a.transfer(STRANGER, 0);
        assertThat(first).isPresent();
        // a third node: one transfer of the four is reserved for it, one stays shared, held by the stranger
        a.nodes(two.toBuilder().node("n3", "52:54:00:00:00:03", "10.0.1.3").build());
        assertThat(a.transfer(OTHER_STRANGER, 0)).as("the shared part shrank to one, held").isEmpty();
        assertThat(a.transfer(Ipv4.parse("10.0.1.3"), 0)).as("the new node's own").isPresent();
        first.get().close();
        assertThat(a.transfer(OTHER_STRANGER, 0)).isPresent();
        // back to two nodes: two shared again
        a.nodes(two);
        assertThat(a.transfer(STRANGER, 0)).isPresent();
    }

    @Test
    void oneSourceCannotFillTheBudget() {
        Admission a = admission(b -> b.transfers(100).perNode(new HeadBudget.SourceLimit(2, 2, 1000)));
        List<Admission.Permit> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            a.transfer(NODE1, 0).ifPresent(held::add);
        }
        assertThat(held).hasSize(2);
        assertThat(a.counters().refusedSourceLimit()).isEqualTo(8);
        assertThat(a.transfer(NODE2, 0)).isPresent();
    }

    @Test
    void unknownSourcesHoldTheirShareAtMost() {
        Admission a = admission(b -> b.transfers(18).unknownShare(0.25).unknownSources(new HeadBudget.SourceLimit(2, 2, 100)));
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            InetAddress s = Ipv4.parse("10.0.9." + (10 + i));
            admitted += a.transfer(s, 0).isPresent() ? 1 : 0;
            admitted += a.transfer(s, 0).isPresent() ? 1 : 0;
        }
        assertThat(admitted).as("a quarter of 18").isEqualTo(4);
        assertThat(a.transfer(NODE1, 0)).isPresent();
        assertThat(a.transfer(NODE1, 0)).as("the nodes still have the shared rest").isPresent();
    }

    @Test
    void requestRateAllowsABurstThenTheRate() {
        Admission a = admission(b -> b.perNode(new HeadBudget.SourceLimit(1, 1, 10)));
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += a.request(NODE1).isEmpty() ? 1 : 0;
        }
        assertThat(admitted).as("a burst of two seconds' worth").isEqualTo(20);
        assertThat(a.request(NODE2)).as("the neighbour is not slowed").isEmpty();
        clock.advance(Duration.ofMillis(500));
        admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += a.request(NODE1).isEmpty() ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(5);
        assertThat(a.counters().refusedRate()).isEqualTo(175);
    }

    @Test
    void inFlightBytesAreBoundedForTheSharedPartAndNodesKeepTheirOwnSlot() {
        Admission a = admission(b -> b.inFlightBytes(100_000).unknownShare(0.5)
                .unknownSources(new HeadBudget.SourceLimit(4, 4, 100)));
        assertThat(a.transfer(STRANGER, 40_000)).isPresent();
        assertThat(a.transfer(OTHER_STRANGER, 20_000)).as("over the unknown half").isEmpty();
        Optional<Admission.Permit> b = a.bytes(NODE1, 60_000);
        assertThat(b).isPresent();
        assertThat(a.bytes(NODE1, 1)).as("budget spent").isEmpty();
        assertThat(a.transfer(NODE2, 65_464)).as("a node's own transfer").isPresent();
        assertThat(a.counters().bytesHeld()).isEqualTo(100_000);
        assertThat(a.counters().ownBytesHeld()).isEqualTo(65_464);
        b.get().close();
        assertThat(a.counters().bytesHeld()).isEqualTo(40_000);
    }

    @Test
    void connectionsAreCountedApartFromTransfers() {
        Admission a = admission(b -> b.transfers(2).connections(3));
        assertThat(a.transfer(NODE1, 0)).isPresent();
        assertThat(a.connection(NODE1)).isPresent();
        assertThat(a.connection(NODE1)).isPresent();
        assertThat(a.connection(NODE1)).as("the one shared connection is taken").isEmpty();
        assertThat(a.connection(NODE2)).isPresent();
        assertThat(a.counters().connections()).isEqualTo(3);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
