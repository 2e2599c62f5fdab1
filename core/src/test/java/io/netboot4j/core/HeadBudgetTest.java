package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HeadBudgetTest {

    private static ClusterBuilder cluster(int nodes) {
        return Cluster.builder("lab")
                .network(n -> n.interfaceName("eth0").subnet("10.0.0.0/16").server("10.0.0.1"))
                .nodes("n%d", nodes, "52:54:00:00:00:01", "10.0.1.1")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/root"));
    }

    @Test
    void defaultsFitASmallHeapAndRefuseUnknownSources() {
        HeadBudget b = cluster(6).build().budget();
        assertThat(b).isEqualTo(new HeadBudget(256, 512, 64L << 20, new HeadBudget.SourceLimit(4, 16, 50),
                HeadBudget.SourceLimit.REFUSED, 0.125));
        assertThat(b.refusesUnknownSources()).isTrue();
    }

    @Test
    void defaultsGrowWithTheNodes() {
        HeadBudget b = cluster(300).build().budget();
        assertThat(b.transfers()).isEqualTo(600);
        assertThat(b.connections()).isEqualTo(1200);
    }

    @Test
    void setPartsKeepTheOtherDefaultsAndSurviveToBuilder() {
        Cluster c = cluster(2).budget(b -> b.transfers(16).unknownSources(new HeadBudget.SourceLimit(1, 1, 5))).build();
        assertThat(c.budget().transfers()).isEqualTo(16);
        assertThat(c.budget().connections()).isEqualTo(512);
        assertThat(c.budget().refusesUnknownSources()).isFalse();
        assertThat(c.toBuilder().build().budget()).isEqualTo(c.budget());
        assertThat(cluster(2).build().toBuilder().nodes("m%d", 400, "52:54:00:01:00:01", "10.0.2.1").build()
                .budget().transfers()).isEqualTo(804);
    }

    @Test
    void settersCheckTheirArgumentAtOnce() {
        ClusterBuilder c = cluster(1);
        assertThatThrownBy(() -> c.budget(b -> b.transfers(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("budget transfers 0 must be at least 1");
        assertThatThrownBy(() -> c.budget(b -> b.connections(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("budget connections -1 must be at least 1");
        assertThatThrownBy(() -> c.budget(b -> b.inFlightBytes(1000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget inFlightBytes 1000 must be at least 65536 (one TFTP window)");
        assertThatThrownBy(() -> c.budget(b -> b.perNode(HeadBudget.SourceLimit.REFUSED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget perNode SourceLimit[transfers=0, connections=0, requestsPerSecond=0] must allow each node "
                        + "at least one transfer, one connection and one request a second");
        assertThatThrownBy(() -> c.budget(b -> b.unknownShare(0.6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("budget unknownShare 0.6 must be between 0 and 0.5");
        assertThatThrownBy(() -> new HeadBudget.SourceLimit(1, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source limit 1 transfers, -1 connections, 0 requests/s must not be negative");
    }

    @Test
    void budgetTwiceIsAnError() {
        assertThatThrownBy(() -> cluster(1).budget(b -> b.transfers(4)).budget(b -> b.transfers(8)))
                .isInstanceOf(IllegalStateException.class).hasMessage("budget was already set");
    }

    @Test
    void buildListsABudgetTooSmallForTheNodes() {
        var e = catchThrowableOfType(ClusterConfigException.class,
                () -> cluster(10).budget(b -> b.transfers(8).connections(9)).build());
        assertThat(e.problems()).containsExactly(
                "budget transfers 8 is less than the 10 nodes: each node keeps one transfer of its own",
                "budget connections 9 is less than the 10 nodes: each node keeps one connection of its own");
    }
}
