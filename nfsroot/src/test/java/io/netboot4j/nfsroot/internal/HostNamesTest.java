package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Export rules' host names: DNS never on the caller's thread, answers kept for the TTL, refreshed behind a stale answer. */
class HostNamesTest {

    @Test
    void callsNeverWaitForDnsAndAnswersAreRefreshedAfterTheTtl() throws Exception {
        InetAddress first = InetAddress.getByName("192.0.2.1");
        InetAddress second = InetAddress.getByName("192.0.2.2");
        AtomicLong now = new AtomicLong();
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch[] gate = {new CountDownLatch(1)};
        HostNames names = new HostNames(name -> {
            int n = lookups.incrementAndGet();
            try {
                gate[0].await(10, TimeUnit.SECONDS); // a slow DNS server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Set.of(n == 1 ? first : second);
        }, now::get);
        // The first ask does not wait: no address until DNS answers.
        assertThat(names.addresses("node.example")).isEmpty();
        assertThat(names.addresses("node.example")).isEmpty();
        gate[0].countDown();
        for (int i = 0; i < 1000 && names.addresses("node.example").isEmpty(); i++) {
            Thread.sleep(5);
        }
        assertThat(names.addresses("node.example")).containsExactly(first);
        assertThat(lookups).hasValue(1);
        // Within the TTL: no new lookup.
        now.addAndGet(HostNames.TTL.toNanos() / 2);
        assertThat(names.addresses("node.example")).containsExactly(first);
        assertThat(lookups).hasValue(1);
        // Past it: the old answer serves while a new lookup runs.
        gate[0] = new CountDownLatch(1);
        now.addAndGet(HostNames.TTL.toNanos());
        assertThat(names.addresses("node.example")).containsExactly(first);
        gate[0].countDown();
        for (int i = 0; i < 1000 && !names.addresses("node.example").contains(second); i++) {
            Thread.sleep(5);
        }
        assertThat(names.addresses("node.example")).containsExactly(second);
        assertThat(lookups).hasValue(2);
    }
}
