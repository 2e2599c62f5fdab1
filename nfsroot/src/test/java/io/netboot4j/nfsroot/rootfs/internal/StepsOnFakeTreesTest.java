package io.netboot4j.nfsroot.rootfs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;
import io.netboot4j.nfsroot.rootfs.Password;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The setup steps on hand-made trees that imitate an old sysvinit release (the guide's
 * Ubuntu 8.04) and a systemd one, without debootstrap or chroot.
 */
class StepsOnFakeTreesTest {

    @TempDir
    Path root;
    TreeFiles tree;

    @BeforeEach
    void tree() {
        assumeTrue("root".equals(System.getProperty("user.name")), "writes root-owned files: run as root");
        tree = new TreeFiles(root);
    }

    private StepContext context(NodeSetup setup, boolean kerrighed) {
        return context(setup, kerrighed, BuildListener.none());
    }

    private StepContext context(NodeSetup setup, boolean kerrighed, BuildListener listener) {
        Debootstrap d = Debootstrap.builder().suite("hardy").architecture("i386").mirror("http://archive.ubuntu.com/ubuntu/")
                .securityMirror("http://security.ubuntu.com/ubuntu/").noCache().build();
        return new StepContext(tree, GuideCluster.of(root, kerrighed), d, setup, listener,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());
    }

    private void hardyLike() throws Exception {
        tree.write("/sbin/init", "ELF\n", 0, 0, 0755);
        tree.folder("/etc/rcS.d", 0755);
        tree.symlink("/etc/rcS.d/S35mountall.sh", "../init.d/mountall.sh");
        tree.write("/etc/network/if-up.d/mountnfs", "#!/bin/sh\n", 0, 0, 0755);
        tree.write("/etc/inittab", "1:2345:respawn:/sbin/getty 38400 tty1\n", 0, 0, 0644);
    }

    @Test
    void eachStepEndsWithOneProgressLineAndPackagesCountsItsPackages() throws Exception {
        tree.write("/var/lib/dpkg/status", "Package: sudo\nStatus: install ok installed\n\nPackage: nfs-common\n"
                + "Status: install ok installed\n", 0, 0, 0644);
        java.util.List<String> lines = new java.util.ArrayList<>();
        BuildListener listener = (step, done, total, detail) -> lines.add(step + " " + done + "/" + total + " " + detail);
        new PackagesStep().run(context(NodeSetup.builder().packages("sudo", "nfs-common").build(), false, listener));
        RootFileStep.hosts().run(context(NodeSetup.defaults(), false, listener));
        RootFileStep.hosts().run(context(NodeSetup.defaults(), false, listener));
        assertThat(lines).containsExactly("packages 2/2 all installed", "hosts 1/1 wrote /etc/hosts",
                "hosts 1/1 /etc/hosts is up to date");
    }

    @Test
    void mountnfsLinkIsMadeOnAStaticRcsRelease() throws Exception {
        hardyLike();
        new MountNfsLinkStep().run(context(NodeSetup.guide(), false));
        assertThat(Files.readSymbolicLink(root.resolve("etc/rcS.d/S34mountnfs"))).isEqualTo(Path.of("/etc/network/if-up.d/mountnfs"));
        new MountNfsLinkStep().run(context(NodeSetup.guide(), false));
        assertThat(Files.readSymbolicLink(root.resolve("etc/rcS.d/S34mountnfs"))).isEqualTo(Path.of("/etc/network/if-up.d/mountnfs"));
    }

    @Test
    void mountnfsLinkRefusesToCollideAsTheGuideWarns() throws Exception {
        hardyLike();
        tree.symlink("/etc/rcS.d/S34other", "../init.d/other");
        assertThatThrownBy(() -> new MountNfsLinkStep().run(context(NodeSetup.guide(), false)))
                .hasMessage("/etc/rcS.d already has S34other at position 34; disable it first, as the guide says, then run this step again");
    }

    @Test
    void noMountnfsLinkOnSystemdOrInsservReleases() throws Exception {
        hardyLike();
        tree.write("/sbin/insserv", "ELF\n", 0, 0, 0755);
        new MountNfsLinkStep().run(context(NodeSetup.guide(), false));
        assertThat(root.resolve("etc/rcS.d/S34mountnfs")).doesNotExist();
        tree.delete("/sbin/insserv");
        tree.delete("/sbin/init");
        tree.symlink("/sbin/init", "/lib/systemd/systemd");
        new MountNfsLinkStep().run(context(NodeSetup.guide(), false));
        assertThat(root.resolve("etc/rcS.d/S34mountnfs")).doesNotExist();
    }

    @Test
    void serialConsoleOnSysvinitIsAnInittabLineAddedOnce() throws Exception {
        hardyLike();
        NodeSetup setup = NodeSetup.builder().serialConsole("ttyS0").build();
        new SerialConsoleStep().run(context(setup, false));
        new SerialConsoleStep().run(context(setup, false));
        assertThat(tree.read("/etc/inittab").orElseThrow())
                .isEqualTo("1:2345:respawn:/sbin/getty 38400 tty1\nT0:23:respawn:/sbin/getty -L ttyS0 115200 vt100\n");
    }

    @Test
    void serialConsoleOnSystemdIsTheEnableLink() throws Exception {
        tree.symlink("/sbin/init", "/lib/systemd/systemd");
        tree.write("/lib/systemd/system/serial-getty@.service", "[Unit]\n", 0, 0, 0644);
        new SerialConsoleStep().run(context(NodeSetup.builder().serialConsole("ttyS1").build(), false));
        assertThat(Files.readSymbolicLink(root.resolve("etc/systemd/system/getty.target.wants/serial-getty@ttyS1.service")))
                .isEqualTo(Path.of("/lib/systemd/system/serial-getty@.service"));
    }

    @Test
    void hostnameIsRemovedFromTheSharedRoot() throws Exception {
        tree.write("/etc/hostname", "headnode\n", 0, 0, 0644);
        new HostnameStep().run(context(NodeSetup.defaults(), false));
        assertThat(root.resolve("etc/hostname")).doesNotExist();
        new HostnameStep().run(context(NodeSetup.defaults(), false));
    }

    @Test
    void fstabFollowsTheKerrighedExtensionOrTheSetting() throws Exception {
        new FstabStep().run(context(NodeSetup.defaults(), true));
        assertThat(tree.read("/etc/fstab").orElseThrow()).contains("configfs");
        assertThat(root.resolve("config")).isDirectory();
        new FstabStep().run(context(NodeSetup.builder().configfs(false).build(), true));
        assertThat(tree.read("/etc/fstab").orElseThrow()).doesNotContain("configfs");
        new FstabStep().run(context(NodeSetup.builder().configfs(true).build(), false));
        assertThat(tree.read("/etc/fstab").orElseThrow()).contains("configfs");
    }

    @Test
    void usersStepSetsPasswordsOfAnExistingUserWithoutRunningUseradd() throws Exception {
        tree.write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nkerrighed:x:1000:1000::/home/kerrighed:/bin/bash\n", 0, 0, 0644);
        tree.write("/etc/shadow", "root:*:19000:0:99999:7:::\nkerrighed:!:19000:0:99999:7:::\n", 0, 42, 0640);
        NodeSetup setup = NodeSetup.builder().user("kerrighed", Password.clear("pw".toCharArray()))
                .rootPassword(Password.clear("rootpw".toCharArray())).build();
        new UsersStep().run(context(setup, false));
        String shadow = tree.read("/etc/shadow").orElseThrow();
        assertThat(shadow).contains(":20454:").doesNotContain("pw:");
        assertThat(TreeFiles.owner(root.resolve("etc/shadow"), "gid")).isEqualTo(42);
        assertThat(tree.read(UsersStep.SUDOERS)).contains("# written by netboot4j (step users): the guide's user privilege specification\n"
                + "kerrighed ALL=(ALL) ALL\n");
        new UsersStep().run(context(setup, false));
        assertThat(tree.read("/etc/shadow").orElseThrow()).isEqualTo(shadow);

        new UsersStep().run(context(NodeSetup.defaults(), false));
        assertThat(root.resolve("etc/sudoers.d/netboot4j")).doesNotExist();
        assertThat(tree.read("/etc/shadow").orElseThrow()).isEqualTo(shadow);
    }

    @Test
    void debootstrapRefusesAFolderThatIsNeitherEmptyNorARoot() throws Exception {
        tree.write("/precious.txt", "data\n", 0, 0, 0644);
        assertThatThrownBy(() -> new DebootstrapStep().run(context(NodeSetup.defaults(), false)))
                .hasMessage(root + " is neither empty nor a root filesystem; refusing to debootstrap into it");
    }

    @Test
    void debootstrapKeepsAFinishedTreeAndRefusesOneOfOtherSettings() throws Exception {
        StepContext c = context(NodeSetup.defaults(), false);
        tree.write(DebootstrapStep.MARKER, DebootstrapStep.marker(c.debootstrap()), 0, 0, 0644);
        new DebootstrapStep().run(c);
        tree.write(DebootstrapStep.MARKER, DebootstrapStep.marker(c.debootstrap()).replace("suite=hardy", "suite=bookworm"), 0, 0, 0644);
        assertThatThrownBy(() -> new DebootstrapStep().run(c))
                .hasMessage("the tree at " + root + " was bootstrapped with other settings (suite bookworm, not hardy);"
                        + " delete it or build with the same settings");
    }

    @Test
    void debootstrapTarballNamesDependOnEverySetting() {
        Debootstrap a = Debootstrap.builder().suite("bookworm").architecture("amd64").mirror("http://deb.debian.org/debian").build();
        Debootstrap b = Debootstrap.builder().suite("bookworm").architecture("amd64").mirror("http://ftp.de.debian.org/debian").build();
        Debootstrap c = Debootstrap.builder().suite("bookworm").architecture("amd64").mirror("http://deb.debian.org/debian")
                .include("vim").build();
        assertThat(DebootstrapStep.tarballName(a)).matches("bookworm-amd64-standard-[0-9a-f]{12}\\.tgz");
        assertThat(DebootstrapStep.tarballName(a)).isNotEqualTo(DebootstrapStep.tarballName(b)).isNotEqualTo(DebootstrapStep.tarballName(c));
        assertThat(DebootstrapStep.options(c)).containsExactly("--arch=amd64", "--components=main", "--include=vim");
    }
}
