package io.netboot4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.testkit.NodeOutcome;
import io.netboot4j.testkit.StormPhase;
import io.netboot4j.testkit.StormResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The storm report's table and its closing lines, in the issue's format, from made-up runs. */
class StormBenchReportTest {

    private static final String LOAD = "1.00 2.00 3.00 1/100 42";

    @Test
    void theReportEndsWithTheIssuesLinesAndStatesItsMatrix() {
        List<StormBench.Run> runs = List.of(
                run(StormBench.OURS, 500, 0, 30, 0, 300, 7),
                run(StormBench.OURS_256, 500, 0, 25, 0, 200, 7),
                run(StormBench.PEER, 500, 0, 240, 3, 0, 0),
                run(StormBench.OURS, 500, 0.02, 32, 0, 250, 7),
                run(StormBench.PEER, 500, 0.02, 300, 500, 0, 0),
                run(StormBench.OURS, 100, 0, 9, 0, 100, 3),
                run(StormBench.OURS_TFTP, 100, 0, 110, 0, 240, 3),
                run(StormBench.PEER, 100, 0, 88, 0, 0, 0));
        String report = StormBench.report(runs, "quick", "6.1 (8 bytes) and initrd (31 bytes)", Duration.ofSeconds(900));
        assertThat(report).contains("matrix: quick").contains("| netboot4j | 500 | 0% | 30.0 | 30.0 | 30.0 | 30.0 | 30.0 | 0 |")
                .contains("| dnsmasq+ganesha | 500 | 2% | 300.0 | - | - | - | - | 500 ")
                .contains("Same protocol (kernel and initrd over lock-step TFTP from both stacks), 100 nodes, 0% loss: "
                        + "dnsmasq+ganesha 88.0 s / netboot4j-tftp-only 110.0 s = 0.80.")
                .contains("dnsmasq+ganesha, 500 nodes, 2% loss: 500 nodes not up when the run's deadline cut it at 300 s")
                // (7 MiB at 500 - 3 MiB at 100) / 400 nodes of live heap
                .contains("- netboot4j: peak RSS 0 bytes/node, peak heap 524288 bytes/node, live heap 10485 bytes/node");
        assertThat(report.lines().toList().reversed().subList(0, 5).reversed()).containsExactly(
                "ratio storm-500 vs dnsmasq+ganesha: 8.00",
                "ratio storm-500-loss2 vs dnsmasq+ganesha: 9.38",
                "failed storm-500 netboot4j: 0",
                "failed storm-500-loss2 netboot4j: 0",
                "peak heap MiB storm-500 netboot4j: 300");
    }

    /** A run whose nodes came up after {@code wall} seconds, {@code failed} of them not at all. */
    private static StormBench.Run run(String stack, int nodes, double loss, double wall, int failed, long heapMiB, long liveMiB) {
        List<NodeOutcome> outcomes = new ArrayList<>();
        Duration w = Duration.ofMillis((long) (wall * 1000));
        for (int i = 0; i < nodes; i++) {
            Map<StormPhase, Duration> phases = new EnumMap<>(StormPhase.class);
            String why = null;
            if (i < failed) {
                why = "not up within the storm's deadline of " + (long) wall + " s";
            } else {
                for (StormPhase p : StormPhase.values()) {
                    phases.put(p, w);
                }
            }
            outcomes.add(new NodeOutcome("n" + i, MacAddress.parse("52:54:00:00:00:01"), Ipv4.parse("10.0.0.1"), phases, 0, 0,
                    why == null ? null : StormPhase.BOOT_FILES, why));
        }
        return new StormBench.Run(stack, nodes, loss, new StormResult(outcomes, w, 0), 1, 100L << 20, heapMiB << 20,
                liveMiB << 20, LOAD, LOAD);
    }
}
