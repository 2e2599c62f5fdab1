package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLockTest {

    @Test
    void aSecondHolderWaitsForTheFirst(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("apt/bookworm-amd64.lock");
        AtomicBoolean secondHeld = new AtomicBoolean();
        CountDownLatch secondDone = new CountDownLatch(1);
        try (CacheLock first = CacheLock.of(Optional.of(file))) {
            Thread.ofVirtual().start(() -> {
                try (CacheLock second = CacheLock.of(Optional.of(file))) {
                    secondHeld.set(true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    secondDone.countDown();
                }
            });
            assertThat(secondDone.await(300, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(secondHeld).isFalse();
        }
        assertThat(secondDone.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(secondHeld).isTrue();
        try (CacheLock none = CacheLock.of(Optional.empty())) {
            assertThat(none).isNotNull();
        }
    }
}
