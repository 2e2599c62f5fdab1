package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Discovery;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxBoot;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery end to end: a QEMU machine nobody described PXE-boots (iPXE, BIOS), is
 * discovered (event with its MAC and firmware architecture), adopted by the test under the
 * cluster's naming rules, power-cycled, and boots to {@code UP} under its new name; then the
 * head restarts on the same work folder and the machine, powered on again, is still a node.
 * One test, so the boots are shared; timeouts are safety nets for a slow shared machine.
 */
@Tag("e2e")
class DiscoveryBootTest {

    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final MacAddress MACHINE = MacAddress.parse("52:54:00:95:00:77");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void anUnknownMachineIsDiscoveredAdoptedBootsUnderItsNewNameAndARestartKeepsIt() throws Exception {
        assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
        BusyboxBoot boot = BusyboxBoot.create(work.resolve("root"));
        BusyboxRoot root = boot.root();
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (VirtualNetwork net = VirtualNetwork.create("nb-disc", "10.95.0.0/24")) {
            Cluster cluster = boot.clusterBuilder(net, "disc")
                    .node("rack1", "52:54:00:95:00:11", "10.95.0.11") // described, never powered on
                    .with(Discovery.builder().pool("10.95.0.200", "10.95.0.209").names("node%02d")
                            .addresses("10.95.0.20", "10.95.0.29").build())
                    .workFolder(work.resolve("head"))
                    .build();

            Node adopted;
            try (RunningCluster running = cluster.start(events::add)) {
                try (VirtualNode unknown = net.powerOn("unknown", MACHINE, work.resolve("unknown.console"))) {
                    BootEvent.NodeDiscovered found = awaitDiscovery(running, Duration.ofMinutes(4));
                    assertThat(found.architecture()).as("iPXE on BIOS: option 93 = 0").isZero();
                    assertThat(found.address()).isEqualTo(Ipv4.parse("10.95.0.200"));
                    assertThat(unknown.console()).noneMatch(l -> l.contains("Linux version"));
                    assertThat(running.awaitListeners(Duration.ofSeconds(30))).isTrue();
                    assertThat(events).anyMatch(e -> e instanceof BootEvent.NodeDiscovered d && d.macAddress().equals(MACHINE));

                    adopted = running.adopt(MACHINE);
                    assertThat(adopted.hostname()).isEqualTo("node01");
                    assertThat(adopted.address()).isEqualTo(Ipv4.parse("10.95.0.20"));
                } // power off: the cycle the adopted machine needs
                try (VirtualNode node = net.powerOn("node01", MACHINE, work.resolve("node01.console"))) {
                    node.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT);
                    running.await("node01", NodeState.UP, Duration.ofMinutes(1));
                    var report = root.report("node01");
                    assertThat(report).as("report of node01 in %s", root.path()).isPresent();
                    assertThat(report.get().address()).isEqualTo("10.95.0.20");
                    assertThat(report.get().hostname()).isEqualTo("node01");
                    node.awaitExit(Duration.ofMinutes(1));
                }
                System.out.println(running.statusTable());
            }

            Instant restarted = Instant.now();
            try (RunningCluster again = cluster.start(events::add)) {
                assertThat(again.cluster().nodeByName("node01")).as("the adopted node after a restart").contains(adopted);
                assertThat(again.discovered()).isEmpty();
                try (VirtualNode node = net.powerOn("node01-again", MACHINE, work.resolve("node01-again.console"))) {
                    again.await("node01", NodeState.UP, BOOT);
                    node.awaitExit(Duration.ofMinutes(1));
                }
                assertThat(again.awaitListeners(Duration.ofSeconds(30))).isTrue();
                assertThat(events).anyMatch(e -> e instanceof BootEvent.AddressAcknowledged a && a.macAddress().equals(MACHINE)
                        && a.address().equals(adopted.address()) && !a.time().isBefore(restarted));
                System.out.println(again.statusTable());
            }
        }
    }

    private static BootEvent.NodeDiscovered awaitDiscovery(RunningCluster running, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            var found = running.discovered().stream().filter(d -> d.macAddress().equals(MACHINE)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no NodeDiscovered for " + MACHINE + " within " + timeout + ": " + running.statusTable());
    }
}
