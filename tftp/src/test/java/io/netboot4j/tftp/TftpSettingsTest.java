package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TftpSettingsTest {

    private static Cluster cluster() {
        return Cluster.builder("t").network(n -> n.interfaceName("lo").subnet("10.0.0.0/24").server("10.0.0.1"))
                .node("n1", "52:54:00:00:00:01", "10.0.0.10").boot(b -> b.kernel(Path.of("/k"))).rootFilesystem(r -> r.path("/r"))
                .build();
    }

    @Test
    void aClusterWithoutSettingsGetsTheServersDefaults() {
        TftpSettings d = TftpSettings.of(cluster());
        assertThat(d).isEqualTo(TftpSettings.defaults());
        assertThat(d.maxTransfers()).isEqualTo(1024);
        assertThat(d.maxBlockSize()).isEqualTo(TftpServer.MAX_BLOCK_SIZE);
        assertThat(d.uploads()).isEmpty();
    }

    @Test
    void settingsArePartOfTheDescriptionAndChangeThroughToBuilder() {
        TftpSettings s = TftpSettings.builder().maxTransfers(256).maxWindowSize(16).maxBlockSize(1468)
                .sessionTimeout(Duration.ofSeconds(10)).uploads(Path.of("/srv/uploads")).build();
        Cluster c = cluster().toBuilder().with(s).build();
        assertThat(TftpSettings.of(c)).isEqualTo(s);
        Cluster changed = c.toBuilder().with(TftpSettings.of(c).toBuilder().maxTransfers(8).build()).build();
        assertThat(TftpSettings.of(changed).maxTransfers()).isEqualTo(8);
        assertThat(TftpSettings.of(changed).maxWindowSize()).isEqualTo(16);
        assertThat(TftpSettings.of(changed).uploads()).contains(Path.of("/srv/uploads"));
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void malformedValuesAreRejectedAsTheServerBuilderRejectsThem() {
        assertThatThrownBy(() -> TftpSettings.builder().maxTransfers(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> TftpSettings.builder().maxBlockSize(70_000).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> TftpSettings.builder().retransmitTimeout(Duration.ofMillis(1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TftpSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30), 1, 512, 1,
                Duration.ZERO, null)).hasMessage("uploads must be a folder or Optional.empty()");
        assertThat(TftpSettings.defaults().applyTo(TftpServer.builder())).isNotNull();
        assertThat(new TftpSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30), 1, 512, 1, Duration.ZERO,
                Optional.empty()).maxBlockSize()).isEqualTo(512);
    }
}
