package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.internal.StatusFeed;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The status feed's decoder takes any bytes: it returns a report or nothing, never throws. */
class StatusFeedFuzzTest {

    private static final byte[] VALID = StatusFeed.encode("big", "head2", Instant.ofEpochMilli(1_700_000_000_000L), List.of(
            new StatusFeed.Row("n1", NodeState.UP, Instant.ofEpochMilli(1_700_000_000_000L), Optional.empty(), "up (x)"),
            new StatusFeed.Row("n2", NodeState.KERNEL, Instant.ofEpochMilli(1_700_000_000_001L),
                    Optional.of(Instant.ofEpochMilli(1_700_000_000_002L)), "sent vmlinuz"))).getFirst();

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.integers().between(0, VALID.length - 1).list().ofMinSize(1).ofMaxSize(8)
                .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
                    byte[] b = VALID.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        b[positions.get(i)] = values.get(i);
                    }
                    return b;
                }));
    }

    @Property(tries = 3000)
    void mutatedDatagramsDecodeOrAreRefused(@ForAll("mutated") byte[] datagram) {
        Optional<StatusFeed.Report> r = StatusFeed.decode(datagram, datagram.length);
        r.ifPresent(report -> assertThat(report.rows())
                .allSatisfy(row -> assertThat(Hostname.isValid(row.node())).isTrue()));
    }

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll byte[] datagram) {
        StatusFeed.decode(datagram, datagram.length);
    }
}
