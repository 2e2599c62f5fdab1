package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.kerrighed.internal.BzImage;
import io.netboot4j.kerrighed.internal.SourceCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kerrighed-2.4 pipeline, run end to end against small stand-in sources whose
 * configure and Makefiles record how they were called (in /usr/src/calls) and install
 * what the guide lists: staged below a prefix with the host's tools, and inside a chroot
 * with busybox, as the guide works.
 */
@Tag("integration")
class Kerrighed24BuildTest {

    @TempDir
    Path tmp;

    private Path mirror() {
        return tmp.resolve("mirror");
    }

    private Kerrighed24Build.Settings settings(BuildRoot root, String... markers) throws Exception {
        FakeSources.pack(mirror(), markers);
        SourceArchive krg = SourceArchive.KERRIGHED_2_4_1.from(mirror().resolve("kerrighed-2.4.1.tar.gz").toUri())
                .pinned(SourceCache.sha256(mirror().resolve("kerrighed-2.4.1.tar.gz")));
        SourceArchive linux = SourceArchive.LINUX_2_6_20.from(mirror().resolve("linux-2.6.20.tar.bz2").toUri())
                .pinned(SourceCache.sha256(mirror().resolve("linux-2.6.20.tar.bz2")));
        return Kerrighed24Build.Settings.of(root, tmp.resolve("work"))
                .withKerrighedSource(krg).withLinuxSource(linux).withCluster(Guide.cluster());
    }

    private Kerrighed24Build.Settings staged(Path prefix, String... markers) throws Exception {
        Path aptGet = tmp.resolve("fake-apt-get");
        ChrootFixture.script(aptGet, "#!/bin/sh\necho \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> " + prefix.resolve("usr/src/calls") + "\n");
        Files.createDirectories(prefix.resolve("usr/src"));
        return settings(BuildRoot.staged(prefix), markers)
                .withBuildDependencies(List.of(aptGet.toString(), "install", "-y"), Kerrighed24Build.GUIDE_BUILD_DEPENDENCIES);
    }

    private static final List<String> STEPS = List.of("install-build-dependencies", "fetch-sources", "unpack-sources",
            "fix-modules-makefile", "configure", "make-defconfig", "apply-config-fragment", "make-kernel",
            "check-kernel-config", "make", "make-kernel-install", "make-install", "ldconfig", "verify-installed-artifacts",
            "write-kerrighed-files", "copy-kernel", "render-grub-stanza");

    @Test
    void stagedBuildRunsTheGuidesStepsEndToEnd() throws Exception {
        Path prefix = tmp.resolve("root");
        Kerrighed24Build build = new Kerrighed24Build(staged(prefix));
        assertThat(build.steps()).isEqualTo(STEPS);
        List<String> events = new ArrayList<>();
        KernelImage image = build.build((step, done, total, detail) -> events.add(step + " " + done + "/" + total));
        assertThat(events).contains("install-build-dependencies 0/17", "render-grub-stanza 17/17");

        String deps = String.join(" ", Kerrighed24Build.GUIDE_BUILD_DEPENDENCIES);
        assertThat(Files.readAllLines(prefix.resolve("usr/src/calls"))).containsExactly(
                "apt-get install -y " + deps + " DEBIAN_FRONTEND=noninteractive",
                "configure --with-kernel=" + prefix + "/usr/src/linux-2.6.20 CC=gcc-3.3",
                "make defconfig",
                "make kernel",
                "make bzImage",
                "make all CC=gcc-3.3",
                "make -C modules SHELL=/bin/bash",
                "make kernel-install DESTDIR=" + prefix,
                "make install DESTDIR=" + prefix);
        assertGuideResult(prefix, image, tmp.resolve("work/boot"));
    }

    @Test
    void chrootBuildRunsTheGuidesStepsInsideTheRoot() throws Exception {
        ChrootFixture.assumeAvailable();
        Path root = tmp.resolve("nfsroot");
        ChrootFixture.prepare(root);
        Kerrighed24Build build = new Kerrighed24Build(settings(BuildRoot.chroot(root)));
        KernelImage image = build.build(BuildListener.none());
        String deps = String.join(" ", Kerrighed24Build.GUIDE_BUILD_DEPENDENCIES);
        assertThat(Files.readAllLines(root.resolve("usr/src/calls"))).containsExactly(
                "apt-get install -y " + deps + " DEBIAN_FRONTEND=noninteractive",
                "configure --with-kernel=/usr/src/linux-2.6.20 CC=gcc-3.3",
                "make defconfig",
                "make kernel",
                "make bzImage",
                "make all CC=gcc-3.3",
                "make -C modules SHELL=/bin/bash",
                "make kernel-install DESTDIR=",
                "make install DESTDIR=",
                "ldconfig ");
        assertGuideResult(root, image, tmp.resolve("work/boot"));
    }

    private static void assertGuideResult(Path root, KernelImage image, Path bootFolder) throws Exception {
        assertThat(image.kernel()).isEqualTo(bootFolder.resolve("vmlinuz-2.6.20-krg"));
        assertThat(image.initrd()).isEmpty();
        BzImage.check(image.kernel());
        for (Kerrighed24Build.Artifact a : Kerrighed24Build.GUIDE_ARTIFACTS) {
            assertThat(a.presentIn(BuildRoot.staged(root))).as(a.path()).isTrue();
        }
        assertThat(root.resolve("usr/src/kerrighed-2.4.1/modules/Makefile")).content().startsWith("SHELL = /bin/bash\n");
        KernelConfig config = KernelConfig.read(root.resolve("usr/src/kerrighed-2.4.1/kernel/.config"));
        assertThat(KernelConfigFragment.kerrighedGuide().check(config)).isEmpty();
        assertThat(config.value("EXPERIMENTAL")).contains("y");
        assertThat(root.resolve("etc/kerrighed_nodes")).hasContent(KerrighedFiles.nodesFile(Guide.cluster()));
        assertThat(root.resolve("etc/default/kerrighed")).content().contains("ENABLE=true\n").contains("LEGACY_SCHED=true");
        assertThat(root.resolve("config")).isDirectory();
        assertThat(root.resolve("etc/fstab")).content().contains(KerrighedFiles.FSTAB_CONFIGFS_LINE);
        assertThat(root.resolve("boot/grub/menu.lst")).hasContent(GrubStanza.guide(Kerrighed.session(1), 1).render());
    }

    @Test
    void secondBuildSkipsDoneStepsAndAStepCanRunAgain() throws Exception {
        Path prefix = tmp.resolve("root");
        Kerrighed24Build build = new Kerrighed24Build(staged(prefix));
        build.build(BuildListener.none());
        List<String> calls = Files.readAllLines(prefix.resolve("usr/src/calls"));
        List<String> details = new ArrayList<>();
        new Kerrighed24Build(build.settings()).build((step, done, total, detail) -> details.add(step + ": " + detail));
        assertThat(Files.readAllLines(prefix.resolve("usr/src/calls"))).isEqualTo(calls);
        assertThat(details).contains("configure: already done", "make-install: already done",
                "verify-installed-artifacts: 12 artifacts present");
        build.runStep("make-install", BuildListener.none());
        assertThat(Files.readAllLines(prefix.resolve("usr/src/calls"))).last().isEqualTo("make install DESTDIR=" + prefix);
        assertThatThrownBy(() -> build.runStep("menuconfig", BuildListener.none())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kerrighed-2.4 has no step 'menuconfig'; steps: install-build-dependencies, fetch-sources");
    }

    @Test
    void failingStepIsNamedWithItsOutputAndTheBuildResumesThere() throws Exception {
        Path prefix = tmp.resolve("root");
        Kerrighed24Build build = new Kerrighed24Build(staged(prefix, FakeSources.FAIL_CONFIGURE));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOfSatisfying(KernelBuildException.class, e -> {
            assertThat(e.build()).isEqualTo("kerrighed-2.4");
            assertThat(e.step()).isEqualTo("configure");
            assertThat(e.result()).get().extracting(CommandResult::exitCode).isEqualTo(77);
            assertThat(e.getMessage()).startsWith("kerrighed-2.4 step 'configure' failed: `./configure --with-kernel=" + prefix
                            + "/usr/src/linux-2.6.20 CC=gcc-3.3` in " + prefix + "/usr/src/kerrighed-2.4.1 (local) exited with 77; output tail:")
                    .endsWith("checking whether the C compiler works... no\nconfigure: error: C compiler cannot create executables");
        });
        assertThat(build.done("unpack-sources")).isTrue();
        assertThat(build.done("configure")).isFalse();
        // The user fixes the problem; the next build starts at the failed step.
        Files.delete(prefix.resolve("usr/src/kerrighed-2.4.1/" + FakeSources.FAIL_CONFIGURE));
        build.build(BuildListener.none());
        assertThat(Files.readAllLines(prefix.resolve("usr/src/calls"))).filteredOn(l -> l.startsWith("apt-get")).hasSize(1);
        assertThat(Files.readAllLines(prefix.resolve("usr/src/calls"))).filteredOn(l -> l.startsWith("configure")).hasSize(2);
    }

    @Test
    void missingArtifactIsNamed() throws Exception {
        Kerrighed24Build build = new Kerrighed24Build(staged(tmp.resolve("root"), FakeSources.SKIP_KRGCR_RUN));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOfSatisfying(KernelBuildException.class, e -> {
            assertThat(e.step()).isEqualTo("verify-installed-artifacts");
            assertThat(e.getMessage()).isEqualTo("kerrighed-2.4 step 'verify-installed-artifacts' failed: missing after make install: "
                    + "/usr/local/bin/krgcr-run (tool for checkpointing processes)");
        });
    }

    @Test
    void checksumMismatchIsNamed() throws Exception {
        Kerrighed24Build.Settings good = staged(tmp.resolve("root"));
        String wrong = "0".repeat(64);
        Kerrighed24Build build = new Kerrighed24Build(good.withLinuxSource(good.linuxSource().pinned(wrong)));
        String actual = SourceCache.sha256(mirror().resolve("linux-2.6.20.tar.bz2"));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOfSatisfying(KernelBuildException.class, e -> {
            assertThat(e.step()).isEqualTo("fetch-sources");
            assertThat(e.getMessage()).isEqualTo("kerrighed-2.4 step 'fetch-sources' failed: SHA-256 mismatch for linux-2.6.20.tar.bz2 fetched from "
                    + mirror().resolve("linux-2.6.20.tar.bz2").toUri() + ": pinned " + wrong + ", got " + actual);
        });
        assertThat(tmp.resolve("work/cache/linux-2.6.20.tar.bz2")).doesNotExist();
        assertThat(tmp.resolve("work/cache/kerrighed-2.4.1.tar.gz")).exists();
    }

    @Test
    void unpinnedArchiveIsRefusedUntilPinnedInSha256Sums() throws Exception {
        Kerrighed24Build.Settings good = staged(tmp.resolve("root"));
        Kerrighed24Build.Settings unpinned = good.withKerrighedSource(SourceArchive.KERRIGHED_2_4_1.from(good.kerrighedSource().uri()));
        String actual = SourceCache.sha256(mirror().resolve("kerrighed-2.4.1.tar.gz"));
        assertThatThrownBy(() -> new Kerrighed24Build(unpinned).build(BuildListener.none()))
                .isInstanceOf(KernelBuildException.class)
                .hasMessageContaining("step 'fetch-sources' failed: kerrighed-2.4.1.tar.gz has no SHA-256 pin; the file fetched from")
                .hasMessageContaining("has SHA-256 " + actual);
        Files.createDirectories(tmp.resolve("work/cache"));
        Files.writeString(tmp.resolve("work/cache/SHA256SUMS"), actual + "  kerrighed-2.4.1.tar.gz\n");
        new Kerrighed24Build(unpinned).runStep("fetch-sources", BuildListener.none());
        assertThat(tmp.resolve("root/usr/src/kerrighed-2.4.1.tar.gz")).exists();
    }

    @Test
    void unreachableSourceIsNamed() throws Exception {
        Kerrighed24Build.Settings good = staged(tmp.resolve("root"));
        Kerrighed24Build build = new Kerrighed24Build(good.withKerrighedSource(
                good.kerrighedSource().from(tmp.resolve("nowhere/kerrighed-2.4.1.tar.gz").toUri())));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOf(KernelBuildException.class)
                .hasMessageContaining("step 'fetch-sources' failed: cannot fetch " + tmp.resolve("nowhere/kerrighed-2.4.1.tar.gz").toUri());
    }

    @Test
    void configCheckNamesSymbolsLostToDependencies() throws Exception {
        Kerrighed24Build.Settings s = staged(tmp.resolve("root"));
        // NFS as a module: the kernel's dependency rules then drop root on NFS.
        Kerrighed24Build build = new Kerrighed24Build(s.withFragment(KernelConfigFragment.kerrighedGuide().with("NFS_FS", "m")));
        assertThatThrownBy(() -> build.build(BuildListener.none())).isInstanceOfSatisfying(KernelBuildException.class, e -> {
            assertThat(e.step()).isEqualTo("check-kernel-config");
            assertThat(e.getMessage()).contains("CONFIG_ROOT_NFS is unset, must be =y (built in, not a module)")
                    .doesNotContain("CONFIG_E1000");
        });
    }

    @Test
    void modulesMakefileIsFixedOnlyIfTheBugIsThere() {
        assertThat(Kerrighed24Build.fixShell("SHELL = /bin/sh\nall:\n")).isEqualTo("SHELL = /bin/bash\nall:\n");
        assertThat(Kerrighed24Build.fixShell("# c\nSHELL:=sh # x\n")).isEqualTo("# c\nSHELL:=/bin/bash # x\n");
        assertThat(Kerrighed24Build.fixShell("SHELL = /bin/bash\n")).isEqualTo("SHELL = /bin/bash\n");
        assertThat(Kerrighed24Build.fixShell("all:\n\techo $(SHELL)\n")).isEqualTo("all:\n\techo $(SHELL)\n");
        assertThat(Kerrighed24Build.unpackedName("linux-2.6.20.tar.bz2")).isEqualTo("linux-2.6.20");
    }
}
