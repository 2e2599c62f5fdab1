package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final MacAddress A = MacAddress.parse("02:00:00:00:aa:01");
    static final MacAddress B = MacAddress.parse("02:00:00:00:aa:02");

    @TempDir
    Path tmp;

    LeaseStore store(Path file) {
        return new LeaseStore(file, Ipv4.parse("10.0.0.10"), Ipv4.parse("10.0.0.13"), Set.of(Ipv4.toInt(Ipv4.parse("10.0.0.11"))));
    }

    static int ip(String s) {
        return Ipv4.toInt(Ipv4.parse(s));
    }

    @Test
    void unreadableLinesAndAddressesOutsideThePoolAreSkipped() throws Exception {
        Path file = tmp.resolve("leases");
        Files.writeString(file, """
                # comment
                10.0.0.10 02:00:00:00:aa:01 BOUND 1767229200
                garbage
                10.0.0.12 not-a-mac BOUND 1767229200
                10.0.0.99 02:00:00:00:aa:02 BOUND 1767229200
                10.0.0.11 02:00:00:00:aa:02 BOUND 1767229200
                10.0.0.13 - DECLINED 1767229200
                10.0.0.12 02:00:00:00:aa:03 OFFERED 1767229200
                """);
        LeaseStore s = store(file);
        assertThat(s.load()).isEqualTo(2);
        assertThat(s.leaseOf(A).address()).isEqualTo(ip("10.0.0.10"));
        assertThat(s.leaseOf(B)).isNull();
        assertThat(s.leaseAt(ip("10.0.0.13")).state()).isEqualTo(LeaseStore.State.DECLINED);
    }

    @Test
    void neverTheExcludedAddressNeverTwoMacsAndTheFileIsReplacedWhole() {
        Path file = tmp.resolve("leases");
        LeaseStore s = store(file);
        int a = s.offer(A, 0, NOW);
        assertThat(a).isEqualTo(ip("10.0.0.10"));
        int b = s.offer(B, ip("10.0.0.10"), NOW);
        assertThat(b).as("A's offer is held").isEqualTo(ip("10.0.0.12"));
        assertThat(s.bind(A, a, NOW.plusSeconds(3600), NOW)).isTrue();
        assertThat(s.bind(B, a, NOW.plusSeconds(3600), NOW)).isFalse();
        assertThat(s.bind(B, b, NOW.plusSeconds(3600), NOW)).isTrue();
        assertThat(s.offer(MacAddress.parse("02:00:00:00:aa:03"), 0, NOW)).isEqualTo(ip("10.0.0.13"));
        assertThat(s.offer(MacAddress.parse("02:00:00:00:aa:04"), ip("10.0.0.11"), NOW)).as("pool full, excluded never given").isNull();
        assertThat(file).exists();
        assertThat(tmp.resolve("leases.tmp")).doesNotExist();
        LeaseStore again = store(file);
        assertThat(again.load()).isEqualTo(2);
        assertThat(again.leaseOf(A).state()).isEqualTo(LeaseStore.State.BOUND);
        assertThat(again.availableFor(a, B, NOW)).isFalse();
        assertThat(again.availableFor(a, B, NOW.plusSeconds(3601))).as("expired").isTrue();
    }

    @Test
    void aPoolOfSeveralRangesOffersOnlyWhereTheClientIs() {
        LeaseStore s = new LeaseStore(tmp.resolve("multi"), List.of(Ipv4.parse("10.1.0.10"), Ipv4.parse("10.2.0.10")),
                List.of(Ipv4.parse("10.1.0.11"), Ipv4.parse("10.2.0.10")), Set.of());
        assertThat(s.hasRange(a -> (a >>> 8) == (ip("10.2.0.0") >>> 8))).isTrue();
        assertThat(s.hasRange(a -> (a >>> 8) == (ip("10.3.0.0") >>> 8))).isFalse();
        java.util.function.IntPredicate second = a -> (a >>> 8) == (ip("10.2.0.0") >>> 8);
        assertThat(s.offer(A, ip("10.1.0.10"), NOW, second)).as("a requested address of another subnet is not given").isEqualTo(ip("10.2.0.10"));
        assertThat(s.offer(B, 0, NOW, second)).as("that subnet's range is full").isNull();
        assertThat(s.offer(B, 0, NOW)).isEqualTo(ip("10.1.0.10"));
    }
}
