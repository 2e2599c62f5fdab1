package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningClusterTest {

    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicReference<ServiceContext> context = new AtomicReference<>();

    class Recording implements AddressAllocation, BootFileService, RootExport {
        final String name;
        final boolean failStart;
        final boolean failClose;

        Recording(String name, boolean failStart, boolean failClose) {
            this.name = name;
            this.failStart = failStart;
            this.failClose = failClose;
        }

        @Override public String name() { return name; }
        @Override public void start() throws Exception {
            log.add("start " + name);
            if (failStart) {
                throw new java.io.IOException("port 69 is in use");
            }
        }
        @Override public void close() {
            log.add("close " + name);
            if (failClose) {
                throw new IllegalStateException(name + " would not stop");
            }
        }
    }

    ClusterBuilder cluster(Path work, boolean failBoot, boolean failCloseRoot) {
        return GuideCluster.builder().workFolder(work)
                .rootExport(new RootExportProvider() {
                    @Override public String name() { return "test-nfs"; }
                    @Override public RootExport create(ServiceContext c) {
                        context.set(c);
                        return new Recording("test NFS", false, failCloseRoot);
                    }
                })
                .bootFiles(new BootFileServiceProvider() {
                    @Override public String name() { return "test-tftp"; }
                    @Override public BootFileService create(ServiceContext c) { return new Recording("test TFTP", failBoot, false); }
                })
                .addressAllocation(new AddressAllocationProvider() {
                    @Override public String name() { return "test-dhcp"; }
                    @Override public AddressAllocation create(ServiceContext c) { return new Recording("test DHCP", false, false); }
                });
    }

    @Test
    void startsRootThenBootFilesThenAddressesAndStopsInReverseOnce(@TempDir Path work) {
        RunningCluster running = cluster(work, false, false).build().start();
        assertThat(log).containsExactly("start test NFS", "start test TFTP", "start test DHCP");
        assertThat(running.services()).extracting(s -> s.name()).containsExactly("test NFS", "test TFTP", "test DHCP");
        assertThat(context.get().workFolder()).isEqualTo(work.resolve("root-export"));
        assertThat(context.get().cluster()).isEqualTo(running.cluster());
        running.close();
        running.close();
        assertThat(log).containsExactly("start test NFS", "start test TFTP", "start test DHCP",
                "close test DHCP", "close test TFTP", "close test NFS");
        assertThat(running.isClosed()).isTrue();
    }

    @Test
    void aFailingStartClosesWhatStartedAndNamesTheService(@TempDir Path work) {
        var e = catchThrowableOfType(ClusterStartException.class, () -> cluster(work, true, true).build().start());
        assertThat(e.service()).isEqualTo("test TFTP");
        assertThat(e).hasMessage("could not start test TFTP: port 69 is in use");
        assertThat(log).containsExactly("start test NFS", "start test TFTP", "close test TFTP", "close test NFS");
        assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("test NFS would not stop");
    }

    @Test
    void closeReportsServicesThatFailedToStopButStopsTheOthers(@TempDir Path work) {
        RunningCluster running = cluster(work, false, true).build().start();
        assertThatThrownBy(running::close).isInstanceOf(IllegalStateException.class)
                .satisfies(t -> assertThat(t.getSuppressed()).extracting(Throwable::getMessage).containsExactly("test NFS would not stop"));
        assertThat(log).endsWith("close test DHCP", "close test TFTP", "close test NFS");
        running.close(); // idempotent, no second failure
    }

    @Test
    void anUnavailableDefaultProviderNamesTheModuleToAdd(@TempDir Path work) {
        var e = catchThrowableOfType(ClusterStartException.class, () -> GuideCluster.builder().workFolder(work).build().start());
        assertThat(e).hasMessageContaining("could not start root export: no RootExport provider is available: add the netboot4j "
                + "module that provides 'embedded'");
    }

    @Test
    void eventsFoldIntoNodeStatesThatCanBeAwaitedAndPrinted(@TempDir Path work) throws Exception {
        List<BootEvent> seen = new ArrayList<>();
        RunningCluster running = cluster(work, false, false).build().start(seen::add);
        Node n1 = running.cluster().nodes().get(0);
        Node n2 = running.cluster().nodes().get(1);
        Inet4Address a1 = n1.address();
        var events = context.get().events();
        Instant t = Instant.now();
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.OFF);

        events.onEvent(new BootEvent.AddressOffered(t, n1.mac(), a1));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.OFF);
        events.onEvent(new BootEvent.AddressAcknowledged(t, n1.mac(), a1, false));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.ADDRESSED);
        events.onEvent(new BootEvent.FileSent(t, a1, "pxelinux.0", 42_000, Duration.ofMillis(20)));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.LOADING);
        events.onEvent(new BootEvent.FileSent(t, a1, "vmlinuz-2.6.20-krg", 2_000_000, Duration.ofSeconds(1)));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.KERNEL);
        // The kernel's own DHCP during boot does not restart the cycle.
        events.onEvent(new BootEvent.AddressAcknowledged(t, n1.mac(), a1, false));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.KERNEL);
        events.onEvent(new BootEvent.RootMounted(t, a1, "/nfsroot/kerrighed"));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.ROOT_MOUNTED);
        events.onEvent(new BootEvent.NodeUp(t, a1, "first write"));
        assertThat(running.await("kerrighednode1", NodeState.UP, Duration.ofSeconds(1)).state()).isEqualTo(NodeState.UP);
        // A renewal keeps it up; a fresh boot starts a new cycle.
        events.onEvent(new BootEvent.AddressAcknowledged(t, n1.mac(), a1, true));
        assertThat(running.status("kerrighednode1").state()).isEqualTo(NodeState.UP);
        events.onEvent(new BootEvent.UnknownClientIgnored(t, MacAddress.parse("52:54:00:99:99:99"), "DISCOVER"));
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        assertThat(seen).hasSize(9);

        Thread later = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            events.onEvent(new BootEvent.AddressAcknowledged(Instant.now(), n2.mac(), n2.address(), false));
        });
        assertThat(running.await("kerrighednode2", NodeState.ADDRESSED, Duration.ofSeconds(30)).state()).isEqualTo(NodeState.ADDRESSED);
        later.join();
        var timeout = catchThrowableOfType(TimeoutException.class, () -> running.awaitAll(NodeState.UP, Duration.ofMillis(10)));
        assertThat(timeout).hasMessageContaining("kerrighednode2 (ADDRESSED)").hasMessageContaining("kerrighednode3 (OFF)")
                .hasMessageNotContaining("kerrighednode1");

        String table = running.statusTable();
        assertThat(table.lines().toList()).hasSize(7);
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("NODE").contains("MAC", "ADDRESS", "STATE", "LAST EVENT", "AGE");
        assertThat(table).containsPattern("kerrighednode1 +02:2d:61:c7:17:86 +192\\.168\\.1\\.101 +UP +renewed 192\\.168\\.1\\.101 +\\d+s");
        assertThat(table).containsPattern("kerrighednode3 +02:2d:61:c7:17:88 +192\\.168\\.1\\.103 +OFF +- +-");
        assertThatThrownBy(() -> running.status("nosuch")).hasMessage("no node 'nosuch' in cluster kerrighed");
        running.close();
    }

    @Test
    void aThrowingListenerDoesNotStopDelivery(@TempDir Path work) {
        List<BootEvent> seen = new ArrayList<>();
        RunningCluster running = cluster(work, false, false).build().start(e -> { throw new IllegalStateException("boom"); }, seen::add);
        Node n1 = running.cluster().nodes().get(0);
        context.get().events().onEvent(new BootEvent.AddressAcknowledged(Instant.now(), n1.mac(), n1.address(), false));
        assertThat(running.status(n1.hostname()).state()).isEqualTo(NodeState.ADDRESSED);
        running.close();
        assertThat(seen).hasSize(1);
    }

    @Test
    void listenersRunOnOneEventThreadInTheOrderEventsWereReported(@TempDir Path work) throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        RunningCluster running = cluster(work, false, false).build().start(e -> {
            threads.add(Thread.currentThread());
            order.add(((BootEvent.FileSent) e).file());
        });
        var events = context.get().events();
        List<Node> nodes = running.cluster().nodes();
        Thread publisher = Thread.currentThread();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Node n = nodes.get(t);
            int sender = t;
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    events.onEvent(new BootEvent.FileSent(Instant.now(), n.address(), sender + "/" + i, 1, Duration.ZERO));
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        assertThat(order).hasSize(3000);
        for (int t = 0; t < 3; t++) {
            String prefix = t + "/";
            assertThat(order.stream().filter(f -> f.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> prefix + i).toList());
        }
        assertThat(threads).hasSize(1);
        Thread eventThread = threads.iterator().next();
        assertThat(eventThread.getName()).isEqualTo("netboot4j-events-kerrighed");
        assertThat(threads).doesNotContain(publisher).doesNotContainAnyElementsOf(senders);
        running.close();
        assertThat(eventThread.isAlive()).isFalse();
    }

    @Test
    void eventsOfUnknownSourcesAreDroppedWhenListenersFallBehindButNodesEventsAreNot(@TempDir Path work) throws Exception {
        var gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger nodeEvents = new java.util.concurrent.atomic.AtomicInteger();
        RunningCluster running = cluster(work, false, false).build().start(e -> {
            try {
                gate.await();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            if (e instanceof BootEvent.FileSent) {
                nodeEvents.incrementAndGet();
            }
        });
        var events = context.get().events();
        Node n1 = running.cluster().nodes().getFirst();
        int strangers = io.netboot4j.core.internal.EventDispatcher.CAPACITY;
        for (int i = 0; i < strangers; i++) {
            events.onEvent(new BootEvent.UnknownClientIgnored(Instant.now(), MacAddress.parse("52:54:00:99:99:99"), "DISCOVER"));
        }
        for (int i = 0; i < 100; i++) {
            events.onEvent(new BootEvent.FileSent(Instant.now(), n1.address(), "f" + i, 1, Duration.ZERO));
        }
        // half the queue for strangers: the one the event thread holds may or may not have left the queue yet
        assertThat(running.droppedEvents()).isBetween((long) strangers / 2 - 1, (long) strangers / 2);
        gate.countDown();
        assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
        assertThat(nodeEvents).hasValue(100);
        running.close();
    }

    @Test
    void servicesAreReachedByTypeAndNodesAwaitedByValue(@TempDir Path work) throws Exception {
        RunningCluster running = cluster(work, false, false).build().start();
        assertThat(running.service(BootFileService.class).name()).isEqualTo("test NFS");
        assertThat(running.service(Recording.class).name()).isEqualTo("test NFS");
        assertThat(running.findService(String.class)).isEmpty();
        assertThatThrownBy(() -> running.service(String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no running service of cluster kerrighed is a java.lang.String; running: test NFS (")
                .hasMessageContaining("test DHCP (");
        Node n1 = running.cluster().nodes().getFirst();
        context.get().events().onEvent(new BootEvent.AddressAcknowledged(Instant.now(), n1.mac(), n1.address(), false));
        assertThat(running.await(n1, NodeState.ADDRESSED, Duration.ofSeconds(5)).state()).isEqualTo(NodeState.ADDRESSED);
        Node stranger = new Node(new Hostname("stranger"), MacAddress.parse("52:54:00:99:99:98"), Ipv4.parse("192.168.1.99"));
        assertThatThrownBy(() -> running.await(stranger, NodeState.UP, Duration.ofSeconds(1)))
                .hasMessage("node stranger is not a node of cluster kerrighed");
        running.close();
    }
}
