package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.kerrighed.internal.BzImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kbuild pipeline against a stand-in Linux tree whose Makefile and scripts/config
 * record their calls and do, in small, what the real ones do.
 */
@Tag("integration")
class KbuildKernelTest {

    @TempDir
    Path tmp;

    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = tmp.resolve("linux");
        FakeSources.copyTree(FakeSources.resource("/fake-linux"), tree);
        Files.setPosixFilePermissions(tree.resolve("scripts/config"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void buildsWithTheFragmentBuiltIn() throws Exception {
        KbuildKernel build = new KbuildKernel(KbuildKernel.Settings.of(tree, tmp.resolve("work")).withJobs(2));
        assertThat(build.steps()).containsExactly("make-defconfig", "apply-config-fragment", "make-olddefconfig",
                "check-kernel-config", "make-bzImage", "copy-kernel");
        KernelImage image = build.build(BuildListener.none());
        assertThat(image.kernel()).isEqualTo(tmp.resolve("work/boot/vmlinuz-6.12.0-netboot"));
        BzImage.check(image.kernel());
        List<String> calls = Files.readAllLines(tree.resolve("calls"));
        assertThat(calls).hasSize(4);
        assertThat(calls.get(0)).isEqualTo("make defconfig");
        assertThat(calls.get(1)).isEqualTo("scripts/config --file .config "
                + String.join(" ", KernelConfigFragment.nfsRoot().scriptsConfigArguments()));
        assertThat(calls.get(2)).isEqualTo("make olddefconfig");
        assertThat(calls.get(3)).startsWith("make ").contains("-j2").endsWith("bzImage");
        assertThat(KernelConfigFragment.nfsRoot().check(KernelConfig.read(tree.resolve(".config")))).isEmpty();
        // Again: every step is done; only the copy runs.
        assertThat(new KbuildKernel(build.settings()).build(BuildListener.none())).isEqualTo(image);
        assertThat(Files.readAllLines(tree.resolve("calls"))).hasSize(4);
    }

    @Test
    void symbolsLostToDependenciesAreNamedBeforeTheLongCompile() throws Exception {
        KernelConfigFragment fragment = KernelConfigFragment.nfsRoot().with("NFS_FS", "m").with("IP_PNP", "n");
        KbuildKernel build = new KbuildKernel(KbuildKernel.Settings.of(tree, tmp.resolve("work")).withFragment(fragment));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOfSatisfying(KernelBuildException.class, e -> {
            assertThat(e.step()).isEqualTo("check-kernel-config");
            assertThat(e.getMessage()).startsWith("kbuild step 'check-kernel-config' failed: " + tree.resolve(".config")
                    + " lacks what a diskless node needs: CONFIG_ROOT_NFS is unset, must be =y (built in, not a module); "
                    + "CONFIG_IP_PNP_DHCP is unset, must be =y (built in, not a module)");
        });
        assertThat(Files.readAllLines(tree.resolve("calls"))).noneMatch(l -> l.contains("bzImage"));
    }

    @Test
    void failingMakeIsNamed() throws Exception {
        Files.writeString(tree.resolve("Makefile"), "defconfig:\n\t@echo '*** Default configuration is based on x86_64_defconfig' ; false\n");
        assertThatThrownBy(() -> new KbuildKernel(KbuildKernel.Settings.of(tree, tmp.resolve("work"))).build(BuildListener.none()))
                .isInstanceOfSatisfying(KernelBuildException.class, e -> {
                    assertThat(e.step()).isEqualTo("make-defconfig");
                    assertThat(e.getMessage()).contains("`make defconfig` in " + tree + " (local) exited with 2")
                            .contains("*** Default configuration is based on x86_64_defconfig");
                });
    }
}
