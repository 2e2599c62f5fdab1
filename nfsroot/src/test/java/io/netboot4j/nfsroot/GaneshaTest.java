package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nfs-ganesha provider: renders its configuration, starts rpcbind and ganesha.nfsd, and libnfs mounts it. */
@Tag("integration")
class GaneshaTest {

    @TempDir
    Path tmp;

    @Test
    void libnfsReadsTheTreeThroughGanesha() throws Exception {
        assumeTrue(Commands.installed("ganesha.nfsd"), "needs ganesha.nfsd (Debian packages nfs-ganesha, nfs-ganesha-vfs)");
        assumeTrue(Commands.installed("rpcbind"), "needs rpcbind (Debian package rpcbind)");
        assumeTrue(Commands.installed("nfs-ls"), "needs nfs-ls (Debian package libnfs-utils)");
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node1\n");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.write(root.resolve("usr/bin/tool"), new byte[123_457]);
        Cluster cluster = Cluster.builder("ganesha")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .with(NfsExports.clients("127.0.0.0/8(rw,no_root_squash,insecure)"))
                .rootExport("nfs-ganesha")
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, 111))
                .build();
        RootExport export = new NfsGaneshaProvider().create(
                new ServiceContext(cluster, tmp.resolve("work"), e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        try (export) {
            export.start();
            int nfs = export.endpoints().get("nfs").getPort();
            int mount = export.endpoints().get("mount").getPort();
            String url = "nfs://127.0.0.1" + root + "/?version=3&nfsport=" + nfs + "&mountport=" + mount;
            Commands.Result ls = Commands.check(List.of("nfs-ls", "-R", url), 60);
            List<String> expected = new ArrayList<>();
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (!p.equals(root)) {
                        expected.add(LibnfsTest.lsLine(root, p));
                    }
                }
            }
            assertThat(ls.out().lines().filter(l -> !l.isBlank()).toList()).containsExactlyInAnyOrderElementsOf(expected);
            String cat = Commands.check(List.of("nfs-cat",
                    "nfs://127.0.0.1" + root + "/etc/hostname?version=3&nfsport=" + nfs + "&mountport=" + mount), 60).out();
            assertThat(cat).isEqualTo("node1\n");
            assertThat(Files.readString(tmp.resolve("work/ganesha/ganesha.conf"))).contains("Name = VFS;");
        }
        assertThat(export.endpoints()).isEmpty();
    }
}
