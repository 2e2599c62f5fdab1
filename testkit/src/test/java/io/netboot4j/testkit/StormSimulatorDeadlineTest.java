package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.MacAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The storm's deadline: a node still booting is reported where it is when the deadline
 * passes. The collector used to look the node up before waiting for it; a node whose thread
 * had not started at that instant (the first one, right after the gate opened) was then
 * reported "still in its first DHCP" however far it got: the simulator "hang" seen once per
 * lossy dnsmasq run, where the deadline cut the run.
 */
class StormSimulatorDeadlineTest {

    @Test
    void anUnfinishedNodeIsDescribedWhereItIsWhenTheDeadlinePassesNotWhenTheWaitBegan() throws Exception {
        CompletableFuture<NodeOutcome> booting = new CompletableFuture<>();
        AtomicReference<StormPhase> place = new AtomicReference<>(); // no node yet: its thread has not started
        CountDownLatch waiting = new CountDownLatch(1);
        Thread node = Thread.ofVirtual().start(() -> {
            try {
                waiting.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            place.set(StormPhase.BOOT_FILES); // the node started, got its address, is fetching files
        });
        long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
        waiting.countDown();
        NodeOutcome o = StormSimulator.await(booting, deadline, Duration.ofSeconds(1), why -> new NodeOutcome("n1",
                MacAddress.parse("52:54:00:00:00:01"), null, Map.of(), 0, 0, place.get() == null ? StormPhase.DHCP : place.get(), why));
        node.join();
        assertThat(o.failedIn()).isEqualTo(StormPhase.BOOT_FILES);
        assertThat(o.failure()).isEqualTo("not up within the storm's deadline of 1 s");
        assertThat(booting).isCancelled();
    }

    @Test
    void aNodeDoneInTimeIsItsOwnOutcome() {
        NodeOutcome up = new NodeOutcome("n1", MacAddress.parse("52:54:00:00:00:01"), null, Map.of(), 0, 0, null, null);
        assertThat(StormSimulator.await(CompletableFuture.completedFuture(up), System.nanoTime(), Duration.ofSeconds(1),
                why -> { throw new AssertionError(why); })).isSameAs(up);
    }
}
