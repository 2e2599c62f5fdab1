package io.netboot4j.examples.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The flood's junk is repeatable from its seed, and drawn from any thread. */
class JunkTest {

    private static List<byte[]> draw(long seed) throws Exception {
        Junk junk = new Junk(seed);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            return pool.submit(() -> {
                List<byte[]> all = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    all.add(junk.dhcp());
                    all.add(junk.tftpRequest("vmlinuz"));
                    all.add(junk.rpcRecord(100003, 3));
                    all.add(junk.datagram());
                }
                return all;
            }).get();
        }
    }

    @Test
    void theSameSeedGivesTheSameJunk() throws Exception {
        List<byte[]> a = draw(42);
        List<byte[]> b = draw(42);
        assertThat(a).hasSize(200);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).isEqualTo(b.get(i));
        }
        assertThat(draw(43).getFirst()).isNotEqualTo(a.getFirst());
    }
}
