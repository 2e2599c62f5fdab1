package io.netboot4j.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Ipv4;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FloodWatchTest {

    @Test
    void aSustainedSourceIsReportedOnceAndSlowOnesNever() {
        AdmissionTest.MutableClock clock = new AdmissionTest.MutableClock();
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        FloodWatch w = new FloodWatch("tftp", events::add, clock, LoggerFactory.getLogger(FloodWatchTest.class));
        InetAddress flooder = Ipv4.parse("10.0.9.9");
        InetAddress slow = Ipv4.parse("10.0.9.10");
        for (int i = 0; i < 1000; i++) {
            w.dropped(flooder, "unknown source");
            if (i % 20 == 0) {
                w.dropped(slow, "malformed");
                clock.advance(Duration.ofSeconds(1));
            }
        }
        assertThat(events).singleElement().isInstanceOfSatisfying(BootEvent.FloodSuspected.class, f -> {
            assertThat(f.source()).isEqualTo(flooder);
            assertThat(f.dropped()).isEqualTo(FloodWatch.THRESHOLD);
            assertThat(f.describe()).isEqualTo("tftp: flood from 10.0.9.9 (200 dropped in 10 s, last: unknown source)");
        });
        assertThat(w.dropped()).isEqualTo(1050);
        assertThat(w.floods()).containsExactly(flooder);
    }
}
