package io.netboot4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's rules, rule by rule, and the lifecycle: start once, close idempotent. */
class HttpBootServerTest {

    private static PxeBootTree tree() {
        return PxeBootTree.of(Cluster.builder("unit")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "52:54:00:12:34:56", "127.0.0.2")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/nfsroot"))
                .build());
    }

    @Test
    void eachSetterChecksItsArgument() {
        var b = HttpBootServer.builder();
        assertThatThrownBy(() -> b.maxConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max connections 0 must be between 1 and 65536");
        assertThatThrownBy(() -> b.idleTimeout(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idle timeout PT0.01S must be between 100 ms and 1 hour");
        assertThatThrownBy(() -> b.sendTimeout(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("send timeout PT2H must be between 100 ms and 1 hour");
        assertThatThrownBy(() -> b.address(InetSocketAddress.createUnresolved("head", 80))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address head/<unresolved>:80 is unresolved: give an IP address");
        assertThatThrownBy(() -> b.name(" ")).isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("no tree: call tree(PxeBootTree.of(cluster))");
    }

    @Test
    void startsOnceReportsItsPortAndClosesIdempotently() throws Exception {
        HttpBootServer s = HttpBootServer.builder().tree(tree()).address(new InetSocketAddress("127.0.0.1", 0)).build();
        assertThatThrownBy(s::localAddress).isInstanceOf(IllegalStateException.class).hasMessage("http is not started");
        s.start();
        assertThat(s.localAddress().getPort()).isPositive();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessage("http was started already");
        s.close();
        s.close();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessage("http was closed");
        assertThat(s.statistics().open()).isZero();
    }

    @Test
    void aTakenPortFailsNamingTheAddress() throws Exception {
        try (HttpBootServer first = HttpBootServer.builder().tree(tree()).address(new InetSocketAddress("127.0.0.1", 0)).build()) {
            first.start();
            int port = first.localAddress().getPort();
            HttpBootServer second = HttpBootServer.builder().tree(tree()).address(new InetSocketAddress("127.0.0.1", port)).build();
            assertThatThrownBy(second::start).isInstanceOf(java.io.IOException.class)
                    .hasMessageStartingWith("http cannot listen on 127.0.0.1:" + port + " (host network): ");
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class).hasMessage("http was closed");
        }
    }
}
