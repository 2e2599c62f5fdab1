package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeFilesTest {

    @TempDir
    Path root;

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "writes root-owned files: run as root");
    }

    @Test
    void writesAtomicallyWithOwnerAndModeAndLeavesARightFileAlone() throws Exception {
        TreeFiles tree = new TreeFiles(root);
        assertThat(tree.write("/etc/sudoers.d/netboot4j", "x ALL=(ALL) ALL\n", 0, 0, 0440)).isTrue();
        Path p = root.resolve("etc/sudoers.d/netboot4j");
        assertThat(TreeFiles.mode(p)).isEqualTo(0440);
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000));
        assertThat(tree.write("/etc/sudoers.d/netboot4j", "x ALL=(ALL) ALL\n", 0, 0, 0440)).isFalse();
        assertThat(Files.getLastModifiedTime(p).toMillis()).isEqualTo(1_000_000);
        assertThat(tree.write("/etc/sudoers.d/netboot4j", "x ALL=(ALL) ALL\n", 0, 0, 0400)).isTrue();
        assertThat(TreeFiles.mode(p)).isEqualTo(0400);
        try (var s = Files.list(p.getParent())) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("netboot4j");
        }
    }

    @Test
    void keepsOwnerAndModeOfAnExistingFile() throws Exception {
        TreeFiles tree = new TreeFiles(root);
        tree.write("/etc/shadow", "root:*:1:0:99999:7:::\n", 0, 42, 0640);
        assertThat(tree.write("/etc/shadow", "root:!:1:0:99999:7:::\n")).isTrue();
        Path p = root.resolve("etc/shadow");
        assertThat(TreeFiles.mode(p)).isEqualTo(0640);
        assertThat(TreeFiles.owner(p, "gid")).isEqualTo(42);
        assertThat(tree.read("/etc/shadow")).contains("root:!:1:0:99999:7:::\n");
    }

    @Test
    void neverWritesOutOfTheTree(@TempDir Path outside) throws Exception {
        TreeFiles tree = new TreeFiles(root);
        Files.createSymbolicLink(root.resolve("etc"), outside);
        assertThatThrownBy(() -> tree.write("/etc/hosts", "x\n")).hasMessageContaining("leads out of the root");
        assertThatThrownBy(() -> tree.resolve("/../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path climbs out of the root: /../x");
        assertThat(outside.resolve("hosts")).doesNotExist();
    }

    @Test
    void replacesASymlinkInsteadOfWritingThroughIt(@TempDir Path outside) throws Exception {
        TreeFiles tree = new TreeFiles(root);
        Files.createDirectories(root.resolve("etc"));
        Path victim = Files.writeString(outside.resolve("hosts"), "host's own\n");
        Files.createSymbolicLink(root.resolve("etc/hosts"), victim);
        tree.write("/etc/hosts", "tree's\n", 0, 0, 0644);
        assertThat(victim).hasContent("host's own");
        assertThat(Files.isSymbolicLink(root.resolve("etc/hosts"))).isFalse();
    }

    @Test
    void symlinksAndFoldersAreIdempotent() throws Exception {
        TreeFiles tree = new TreeFiles(root);
        assertThat(tree.symlink("/etc/rcS.d/S34mountnfs", "/etc/network/if-up.d/mountnfs")).isTrue();
        assertThat(tree.symlink("/etc/rcS.d/S34mountnfs", "/etc/network/if-up.d/mountnfs")).isFalse();
        assertThat(Files.readSymbolicLink(root.resolve("etc/rcS.d/S34mountnfs"))).isEqualTo(Path.of("/etc/network/if-up.d/mountnfs"));
        assertThat(tree.folder("/config", 0755)).isTrue();
        assertThat(tree.folder("/config", 0755)).isFalse();
        assertThat(tree.delete("/etc/rcS.d/S34mountnfs")).isTrue();
        assertThat(tree.delete("/etc/rcS.d/S34mountnfs")).isFalse();
    }
}
