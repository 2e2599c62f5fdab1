package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterConfigException;
import io.netboot4j.core.net.NetworkSeam;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DhcpSettingsTest {

    @Test
    void defaultsAreTheGuidesPolicy() {
        DhcpSettings d = DhcpSettings.defaults();
        assertThat(d.leaseTime()).isEqualTo(Duration.ofHours(12));
        assertThat(d.renewalTime()).isEqualTo(Duration.ofHours(6));
        assertThat(d.rebindingTime()).isEqualTo(Duration.ofMinutes(630));
        assertThat(d.allowBootp()).isFalse();
        assertThat(d.allowsUnknownClients()).isFalse();
        assertThat(DhcpSettings.of(TestClusters.cluster(NetworkSeam.host()))).isEqualTo(d);
    }

    @Test
    void settersCheckTheirArguments() {
        assertThatThrownBy(() -> DhcpSettings.builder().leaseTime(Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("lease time PT59S must be between one minute and one year");
        assertThatThrownBy(() -> DhcpSettings.builder().dynamicPool("10.77.0.20", "10.77.0.10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dynamic pool 10.77.0.20-10.77.0.10 is reversed: the first address must not be above the last");
        assertThatThrownBy(() -> DhcpSettings.builder().dynamicPool("10.77.0.300", "10.77.0.10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.77.0.300");
    }

    @Test
    void buildReportsAPoolOutsideTheSubnetOrOverANode() {
        assertThatThrownBy(() -> TestClusters.cluster(NetworkSeam.host(),
                b -> b.with(DhcpSettings.builder().dynamicPool("10.78.0.10", "10.78.0.20").build())))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("dynamic pool 10.78.0.10-10.78.0.20 is not inside the subnet 10.77.0.0/24");
        assertThatThrownBy(() -> TestClusters.cluster(NetworkSeam.host(),
                b -> b.with(DhcpSettings.builder().dynamicPool("10.77.0.100", "10.77.0.110").build())))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("dynamic pool 10.77.0.100-10.77.0.110 contains the address 10.77.0.101 of node kerrighednode1")
                .hasMessageContaining("10.77.0.102 of node kerrighednode2");
        Cluster ok = TestClusters.cluster(NetworkSeam.host(),
                b -> b.with(DhcpSettings.builder().dynamicPool("10.77.0.200", "10.77.0.250").allowBootp().build()));
        assertThat(DhcpSettings.of(ok).allowsUnknownClients()).isTrue();
        assertThat(ok.boot().kernel()).isEqualTo(Path.of("/boot/vmlinuz"));
    }
}
