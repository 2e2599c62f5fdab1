package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.internal.ExportsFile;
import io.netboot4j.nfsroot.internal.KernelNfsdExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel-nfsd provider with the real {@code exportfs}, run in a private mount
 * namespace: the rendered file is bind-mounted over {@code /etc/exports} and a tmpfs
 * over {@code /var/lib/nfs}, so exportfs parses and records the export without touching
 * the host's exports (the machine's kernel has no nfsd to hand it to).
 */
@Tag("integration")
class KernelNfsdTest {

    @TempDir
    Path tmp;

    @Test
    void exportfsAcceptsTheRenderedExports() throws Exception {
        assumeExportfs();
        Path root = tmp.resolve("nfsroot");
        Files.createDirectories(root);
        Cluster cluster = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .nodes("kerrighednode%d", 2, "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root).readWrite())
                .with(NfsExports.clients("192.168.1.0/24(rw,no_root_squash,async)", "kerrighednode1(rw,all_squash,anonuid=1000)"))
                .build();
        Path file = tmp.resolve("netboot4j-kerrighed.exports");
        Path wrapper = sandboxedExportfs(file);
        ServiceContext ctx = new ServiceContext(cluster, tmp.resolve("work"), e -> { }, NetworkSeam.host(), Clock.systemUTC());
        try (KernelNfsdExport export = new KernelNfsdExport(ctx, NfsExports::rules, file, List.of(wrapper.toString()))) {
            export.start();
            assertThat(Files.readString(file)).isEqualTo(export.render());
            String out = export.lastOutput();
            assertThat(out).contains("exporting 192.168.1.0/24:" + root, "exporting 192.168.1.101:" + root);
            assertThat(out).containsPattern(root + "\\s+192.168.1.0/24\\([^)]*async[^)]*rw,no_root_squash");
            assertThat(out).containsPattern(root + "\\s+192.168.1.101\\([^)]*rw,root_squash,all_squash");

            // a live change: the rule naming kerrighednode1 follows its new address (file rewritten, exportfs -avr)
            Cluster moved = cluster.toBuilder().removeNode("kerrighednode1")
                    .node("kerrighednode1", "02:2D:61:C7:17:86", "192.168.1.111").build();
            assertThat(export.supportsUpdate(moved)).isTrue();
            export.update(moved);
            assertThat(Files.readString(file)).isEqualTo(export.render()).contains(" 192.168.1.111(").doesNotContain("192.168.1.101");
            assertThat(export.lastOutput()).contains("exporting 192.168.1.111:" + root).doesNotContain("192.168.1.101");
        }
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> new KernelNfsdExport(ctx, NfsExports.rules(cluster), file, List.of("false")).start())
                .hasMessageContaining("'false -avr' exited with 1").hasMessageContaining("nfs-kernel-server");
    }

    private static void assumeExportfs() {
        assumeTrue(Commands.installed("exportfs"), "needs exportfs (Debian package nfs-kernel-server)");
        assumeTrue(Commands.installed("unshare") && Files.isRegularFile(Path.of("/etc/exports")),
                "needs unshare (util-linux) and /etc/exports (nfs-kernel-server)");
    }

    /** exportfs in a private mount namespace: {@code file} as /etc/exports, a fresh /var/lib/nfs; prints {@code exportfs -v} after. */
    private Path sandboxedExportfs(Path file) throws Exception {
        Path wrapper = tmp.resolve("exportfs-sandbox.sh");
        Files.writeString(wrapper, """
                #!/bin/sh
                exec unshare -m sh -c 'mount -t tmpfs tmpfs /var/lib/nfs && mount --bind "$0" /etc/exports \\
                    && if [ -d /etc/exports.d ]; then mount -t tmpfs tmpfs /etc/exports.d; fi \\
                    && exportfs "$@" && echo "--- exportfs -v" && exportfs -v' "%s" "$@"
                """.formatted(file));
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return wrapper;
    }

    @Test
    void eachGroupRootIsAnExportLineWithItsOwnFsidAndComesAndGoesLive() throws Exception {
        assumeExportfs();
        Path root = Files.createDirectories(tmp.resolve("nfsroot"));
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        Path gpu = Files.createDirectories(tmp.resolve("gpu"));
        Cluster cluster = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .nodes("kerrighednode%d", 3, "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .group("storage", b -> { }).groupRoot("storage", r -> r.path(storage).readOnly())
                .nodeGroup("kerrighednode2", "storage")
                .build();
        Path file = tmp.resolve("netboot4j-kerrighed.exports");
        ServiceContext ctx = new ServiceContext(cluster, tmp.resolve("work"), e -> { }, NetworkSeam.host(), Clock.systemUTC());
        try (KernelNfsdExport export = new KernelNfsdExport(ctx, NfsExports::rules, file, List.of(sandboxedExportfs(file).toString()))) {
            export.start();
            assertThat(Files.readString(file)).isEqualTo("# Generated by netboot4j: the root filesystems the diskless nodes mount.\n"
                    + root + " 192.168.1.0/24(rw,no_root_squash,no_subtree_check,fsid=" + ExportsFile.fsid(root) + ")\n"
                    + storage + " 192.168.1.0/24(ro,no_root_squash,no_subtree_check,fsid=" + ExportsFile.fsid(storage) + ")\n");
            assertThat(ExportsFile.fsid(root)).isNotEqualTo(ExportsFile.fsid(storage));
            String out = export.lastOutput();
            assertThat(out).contains("exporting 192.168.1.0/24:" + root, "exporting 192.168.1.0/24:" + storage);
            assertThat(out).containsPattern(storage + "\\s+192.168.1.0/24\\([^)]*fsid=" + ExportsFile.fsid(storage) + ",[^)]*,ro,");
            assertThat(out).containsPattern(root + "\\s+192.168.1.0/24\\([^)]*fsid=" + ExportsFile.fsid(root) + ",[^)]*,rw,");

            // live: the storage root goes, a gpu root comes (exportfs -avr re-exports and withdraws)
            Cluster next = cluster.toBuilder().clearGroupRoot("storage").group("gpu", b -> { }).groupRoot("gpu", r -> r.path(gpu))
                    .nodeGroup("kerrighednode3", "gpu").build();
            assertThat(export.supportsUpdate(next)).isTrue();
            export.update(next);
            String after = export.lastOutput().substring(export.lastOutput().indexOf("--- exportfs -v"));
            assertThat(after).contains(root.toString(), gpu.toString()).doesNotContain(storage.toString());
            // a root that is not a folder: refused before anything changes
            Cluster missing = next.toBuilder().groupRoot("gpu", r -> r.path(gpu)).build();
            Files.delete(gpu);
            assertThat(export.supportsUpdate(missing)).isFalse();
        }
    }
}
