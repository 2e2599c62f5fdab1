package io.netboot4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.http.internal.ByteRanges.Outcome;
import io.netboot4j.http.internal.ByteRanges.Range;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Range headers resolved against a size, RFC 9110 section 14 examples and edge cases. */
class ByteRangesTest {

    private static Outcome r(String header, long size) {
        return ByteRanges.resolve(Optional.of(header), size);
    }

    @Test
    void theRfcExamples() {
        // RFC 9110 section 14.1.2, for a 10000-byte representation
        assertThat(r("bytes=0-499", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(0, 499))));
        assertThat(r("bytes=500-999", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(500, 999))));
        assertThat(r("bytes=-500", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(9500, 9999))));
        assertThat(r("bytes=9500-", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(9500, 9999))));
        assertThat(r("bytes=0-0,-1", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(0, 0), new Range(9999, 9999))));
        assertThat(r("bytes= 500-600 , 601-999 ", 10000))
                .isEqualTo(new Outcome.Partial(List.of(new Range(500, 600), new Range(601, 999))));
        assertThat(new Range(500, 999).contentRange(10000)).isEqualTo("bytes 500-999/10000");
    }

    @Test
    void endsBeyondTheFileAreClippedAndStartsBeyondItAreUnsatisfiable() {
        assertThat(r("bytes=9000-20000", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(9000, 9999))));
        assertThat(r("bytes=-20000", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(0, 9999))));
        assertThat(r("bytes=10000-", 10000)).isInstanceOf(Outcome.Unsatisfiable.class);
        assertThat(r("bytes=-0", 10000)).isInstanceOf(Outcome.Unsatisfiable.class);
        assertThat(r("bytes=0-", 0)).isInstanceOf(Outcome.Unsatisfiable.class);
        assertThat(r("bytes=20000-30000,0-9", 10000)).isEqualTo(new Outcome.Partial(List.of(new Range(0, 9))));
    }

    @Test
    void invalidOverlappingOrTooManyRangesAreIgnored() {
        for (String h : List.of("items=0-1", "bytes", "bytes=", "bytes=a-b", "bytes=5-1", "bytes=1", "bytes=-",
                "bytes=0-1,x", "bytes=99999999999999999999-", "bytes=0-10,5-20", "bytes=0-0,0-0")) {
            assertThat(r(h, 10000)).as(h).isInstanceOf(Outcome.Whole.class);
        }
        String many = "bytes=" + String.join(",", java.util.stream.IntStream.range(0, 17).mapToObj(i -> i * 10 + "-" + (i * 10 + 1)).toList());
        assertThat(r(many, 10000)).isInstanceOf(Outcome.Whole.class);
        assertThat(ByteRanges.resolve(Optional.empty(), 10)).isInstanceOf(Outcome.Whole.class);
    }

    @Property
    void resolvedRangesLieInsideTheFile(@ForAll("headers") String header, @ForAll @LongRange(min = 0, max = 1 << 20) long size) {
        if (ByteRanges.resolve(Optional.of(header), size) instanceof Outcome.Partial p) {
            assertThat(p.ranges()).isNotEmpty().hasSizeLessThanOrEqualTo(ByteRanges.MAX_RANGES)
                    .allSatisfy(x -> assertThat(x.first()).isBetween(0L, x.last()))
                    .allSatisfy(x -> assertThat(x.last()).isLessThan(size));
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> headers() {
        var part = net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.longs().between(0, 2 << 20).map(String::valueOf),
                net.jqwik.api.Arbitraries.strings().withChars("0123456789-, =ab").ofMaxLength(6),
                net.jqwik.api.Arbitraries.just(""));
        return net.jqwik.api.Combinators.combine(part, part, part, part)
                .as((a, b, c, d) -> "bytes=" + a + "-" + b + "," + c + "-" + d);
    }
}
