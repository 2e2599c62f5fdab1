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
 * A root filesystem per node group, through libnfs ({@code nfs-cat}, {@code nfs-ls},
 * {@code nfs-cp}) against the embedded server and the real ganesha.nfsd: each export shows its
 * own content; the group's read-only root refuses a write the cluster's takes; a live change
 * withdraws one group root and exports another (embedded: swapped in place; ganesha: SIGHUP
 * reload, which adds and removes EXPORT blocks) without a restart.
 */
@Tag("integration")
class GroupRootsTest {

    @TempDir
    Path tmp;

    Path root(String name) throws Exception {
        Path r = tmp.resolve(name);
        Files.createDirectories(r.resolve("etc"));
        Files.writeString(r.resolve("etc/hostname"), name + "\n");
        Files.writeString(r.resolve("only-in-" + name), name);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "nfs-ganesha"})
    void eachGroupMountsItsOwnRoot(String provider) throws Exception {
        assumeTrue(Commands.installed("nfs-cat") && Commands.installed("nfs-ls") && Commands.installed("nfs-cp"),
                "needs nfs-cat, nfs-ls, nfs-cp (Debian package libnfs-utils)");
        boolean ganesha = provider.equals("nfs-ganesha");
        if (ganesha) {
            assumeTrue(Commands.installed("ganesha.nfsd"), "needs ganesha.nfsd (Debian packages nfs-ganesha, nfs-ganesha-vfs)");
            assumeTrue(Commands.installed("rpcbind"), "needs rpcbind (Debian package rpcbind)");
        }
        Path cluster = root("cluster");
        Path storage = root("storage");
        Path gpu = root("gpu");
        Cluster two = Cluster.builder("groups")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.2"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.3")
                .node("node2", "02:00:00:00:00:02", "127.0.0.4")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(cluster))
                .group("storage", b -> { }).groupRoot("storage", r -> r.path(storage).readOnly())
                .group("gpu", b -> { })
                .nodeGroup("node2", "storage")
                // libnfs connects from 127.0.0.1, which is not a node
                .budget(x -> x.unknownSources(new io.netboot4j.core.HeadBudget.SourceLimit(0, 64, 1000)))
                .with(NfsExports.clients("127.0.0.0/8(rw,no_root_squash,insecure)"))
                .rootExport(provider)
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, ganesha ? 111 : 0))
                .workFolder(tmp.resolve("work"))
                .build();
        RootExportProvider p = ganesha ? new NfsGaneshaProvider() : new EmbeddedNfsProvider();
        RootExport export = p.create(new ServiceContext(two, tmp.resolve("work"), e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        try (export) {
            export.start();
            String ports = "?version=3&nfsport=" + export.endpoints().get("nfs").getPort() + "&mountport="
                    + export.endpoints().get("mount").getPort();
            for (Path r : List.of(cluster, storage)) {
                Commands.Result cat = Commands.run(List.of("nfs-cat", "nfs://127.0.0.2" + r + "/etc/hostname" + ports), 60);
                assertThat(cat.exit()).as(cat.out() + cat.err()).isZero();
                assertThat(cat.out()).isEqualTo(r.getFileName() + "\n");
                Commands.Result ls = Commands.run(List.of("nfs-ls", "nfs://127.0.0.2" + r + ports), 60);
                assertThat(ls.exit()).as(ls.err()).isZero();
                assertThat(ls.out()).contains("only-in-" + r.getFileName())
                        .doesNotContain("only-in-" + (r == cluster ? "storage" : "cluster"));
            }
            assertThat(Commands.run(List.of("nfs-cat", "nfs://127.0.0.2" + gpu + "/etc/hostname" + ports), 60).exit())
                    .as("the gpu group has no root of its own yet").isNotZero();
            Path local = Files.writeString(tmp.resolve("written"), "written\n");
            Commands.Result rw = Commands.run(List.of("nfs-cp", local.toString(), "nfs://127.0.0.2" + cluster + "/written" + ports), 60);
            assertThat(rw.exit()).as(rw.out() + rw.err()).isZero();
            assertThat(cluster.resolve("written")).hasContent("written");
            Commands.Result ro = Commands.run(List.of("nfs-cp", local.toString(), "nfs://127.0.0.2" + storage + "/written" + ports), 60);
            assertThat(ro.exit()).as("the storage root is read-only").isNotZero();
            assertThat(storage.resolve("written")).doesNotExist();

            // live: storage withdrawn, gpu exported
            Cluster next = two.toBuilder().clearGroupRoot("storage").groupRoot("gpu", r -> r.path(gpu)).build();
            assertThat(export.supportsUpdate(next)).isTrue();
            export.update(next);
            Commands.Result cat = Commands.run(List.of("nfs-cat", "nfs://127.0.0.2" + gpu + "/etc/hostname" + ports), 60);
            assertThat(cat.exit()).as(cat.out() + cat.err()).isZero();
            assertThat(cat.out()).isEqualTo("gpu\n");
            assertThat(Commands.run(List.of("nfs-cat", "nfs://127.0.0.2" + storage + "/etc/hostname" + ports), 60).exit())
                    .as("storage is no export any more").isNotZero();
            assertThat(Commands.run(List.of("nfs-cat", "nfs://127.0.0.2" + cluster + "/etc/hostname" + ports), 60).out())
                    .isEqualTo("cluster\n");
            if (ganesha) {
                assertThat(Files.readString(tmp.resolve("work/ganesha/ganesha.conf"))).contains("Export_Id = 1;",
                        "Export_Id = " + io.netboot4j.nfsroot.internal.GaneshaConfig.exportIds(next).get(next.group("gpu").orElseThrow()
                                .rootFilesystem().orElseThrow()) + ";").doesNotContain(storage.toString());
            }
        }
    }
}
