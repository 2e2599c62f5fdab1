package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live changes of export rules that name a node: the embedded server and the real
 * ganesha.nfsd (SIGHUP reload) admit or refuse libnfs's {@code nfs-cat} as the named
 * node's address moves to the client's address and away again, without a restart.
 */
@Tag("integration")
class ExportRulesFollowTest {

    /** libnfs connects to the server's 127.0.0.2 from 127.0.0.1. */
    static final String CLIENT = "127.0.0.1";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "nfs-ganesha"})
    void aRuleNamingANodeFollowsItsAddress(String provider) throws Exception {
        assumeTrue(Commands.installed("nfs-cat"), "needs nfs-cat (Debian package libnfs-utils)");
        boolean ganesha = provider.equals("nfs-ganesha");
        if (ganesha) {
            assumeTrue(Commands.installed("ganesha.nfsd"), "needs ganesha.nfsd (Debian packages nfs-ganesha, nfs-ganesha-vfs)");
            assumeTrue(Commands.installed("rpcbind"), "needs rpcbind (Debian package rpcbind)");
        }
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node1\n");
        Cluster away = Cluster.builder("follow")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.2"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.3")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .with(NfsExports.clients("node1(ro,insecure)"))
                .rootExport(provider)
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, ganesha ? 111 : 0))
                .workFolder(tmp.resolve("work"))
                .build();
        Cluster here = away.toBuilder().removeNode("node1").node("node1", "02:00:00:00:00:01", CLIENT).build();
        RootExportProvider p = ganesha ? new NfsGaneshaProvider() : new EmbeddedNfsProvider();
        RootExport export = p.create(new ServiceContext(away, tmp.resolve("work"), e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        try (export) {
            export.start();
            String url = "nfs://127.0.0.2" + root + "/etc/hostname?version=3&nfsport=" + export.endpoints().get("nfs").getPort()
                    + "&mountport=" + export.endpoints().get("mount").getPort();
            assertThat(cat(url).exit()).as("node1 is elsewhere: refused").isNotZero();

            assertThat(export.supportsUpdate(here)).isTrue();
            export.update(here);
            Commands.Result r = cat(url);
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).isEqualTo("node1\n");

            export.update(away);
            assertThat(cat(url).exit()).as("node1 moved away again: refused").isNotZero();
            if (ganesha) {
                assertThat(Files.readString(tmp.resolve("work/ganesha/ganesha.conf"))).contains("127.0.0.3").doesNotContain(CLIENT);
            }
        }
    }

    private static Commands.Result cat(String url) throws Exception {
        return Commands.run(List.of("nfs-cat", url), 60);
    }
}
