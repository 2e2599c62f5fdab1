package io.netboot4j.nfsroot.rootfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.EmbeddedNfsProvider;
import io.netboot4j.nfsroot.NfsExports;
import io.netboot4j.core.ClusterExtension;
import io.netboot4j.nfsroot.rootfs.internal.ExternalCommand;
import io.netboot4j.nfsroot.rootfs.internal.Mounts;
import io.netboot4j.nfsroot.rootfs.internal.RootFiles;
import io.netboot4j.nfsroot.rootfs.internal.Sha512Crypt;
import io.netboot4j.nfsroot.rootfs.internal.TreeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code debootstrap --variant=minbase} of the machine's suite, then the guide's setup,
 * then checks on files, owners and modes, commands run in the chroot, and a second build that
 * must leave the tree identical. Downloads are cached in {@code /var/cache/netboot4j/debootstrap}
 * (debootstrap tarball and apt archives), so reruns need no network.
 *
 * <p>What it installs: minbase plus {@link NodeSetup#DEFAULT_PACKAGES} ({@code nfs-common},
 * {@code openssh-server}, {@code isc-dhcp-client}, {@code sudo}) and
 * {@link NodeSetup#MINBASE_BOOT_PACKAGES} ({@code systemd-sysv}, {@code udev}, {@code ifupdown}:
 * minbase has no init), so that the tree boots in QEMU to a login prompt.
 * The finished tree is then exported by the embedded NFS server on loopback and listed and
 * read with libnfs-utils ({@code nfs-ls}, {@code nfs-cat}).
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianRootIntegrationTest {

    private static final String ROOT_PASSWORD = "root pw";
    private static final char[] USER_PASSWORD = "kerrighed user pw".toCharArray();

    @TempDir
    Path temp;
    private Path shared;

    record Progress(String step, int done, int total, String detail) {
    }

    static void needsRootAndDebootstrap() {
        assumeTrue("root".equals(System.getProperty("user.name")), "debootstrap, chroot and mount need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "needs /usr/sbin/debootstrap (Debian package debootstrap)");
    }

    private Path root;
    private Cluster cluster;
    private Debootstrap debootstrap;
    private NodeSetup setup;
    private String rootHash;
    private List<String> packages;
    private final List<Progress> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void buildOnce() throws Exception {
        needsRootAndDebootstrap();
        shared = Files.createTempDirectory("nb-rootfs-it");
        root = shared.resolve("kerrighed");
        cluster = GuideClusters.of(root, true);
        rootHash = opensslHash(ROOT_PASSWORD, "rootsaltrootsalt");
        debootstrap = Debootstrap.builder().variant(Debootstrap.Variant.MINBASE).build();
        packages = new ArrayList<>(NodeSetup.DEFAULT_PACKAGES);
        packages.addAll(NodeSetup.MINBASE_BOOT_PACKAGES);
        setup = NodeSetup.builder().packages(packages).user("kerrighed", Password.clear(USER_PASSWORD))
                .rootPassword(Password.hashed(rootHash)).serialConsole("ttyS0").build();
        DebianRoot.of(cluster, debootstrap, setup).build((s, d, t, x) -> progress.add(new Progress(s, d, t, x)));
    }

    @AfterAll
    void deleteTree() throws Exception {
        if (shared != null) {
            ExternalCommand.of("rm", "-rf", "--one-file-system", shared.toString()).run();
        }
    }

    @Test
    @Order(1)
    void progressNamesPhasesPackageCountsAndEveryStep() {
        assertThat(progress).anySatisfy(p -> {
            assertThat(p.step()).isEqualTo("debootstrap");
            assertThat(p.detail()).startsWith("Configuring required packages");
            assertThat(p.total()).isGreaterThan(50);
        });
        assertThat(progress).anySatisfy(p -> assertThat(p.detail()).startsWith("Setting up openssh-server"));
        assertThat(progress.stream().filter(p -> p.step().equals("root build")).map(Progress::detail))
                .containsSubsequence(DebianRoot.STEPS).endsWith("done");
    }

    @Test
    @Order(2)
    void filesOwnersAndModesAreTheGuides() throws Exception {
        TreeFiles tree = new TreeFiles(root);
        assertFile(tree, "/etc/fstab", RootFiles.fstab(true), 0, 0, 0644);
        assertThat(tree.read("/etc/fstab").orElseThrow()).contains("configfs        /config");
        assertThat(root.resolve("config")).isDirectory();
        assertFile(tree, "/etc/hosts", RootFiles.hosts(cluster), 0, 0, 0644);
        assertFile(tree, "/etc/network/interfaces", RootFiles.interfaces("eth0"), 0, 0, 0644);
        assertFile(tree, "/etc/apt/sources.list", RootFiles.aptSources(debootstrap, setup), 0, 0, 0644);
        assertFile(tree, "/etc/sudoers.d/netboot4j", "# written by netboot4j (step users): the guide's user privilege specification\n"
                + "kerrighed ALL=(ALL) ALL\n", 0, 0, 0440);
        assertThat(root.resolve("etc/hostname")).doesNotExist();
        assertThat(root.resolve("usr/sbin/policy-rc.d")).doesNotExist();
        assertThat(Mounts.isMountPoint(root.resolve("proc"))).isFalse();
        assertThat(Mounts.isMountPoint(root.resolve("var/cache/apt/archives"))).isFalse();
        assertThat(Files.readSymbolicLink(root.resolve("etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service")).toString())
                .endsWith("/systemd/system/serial-getty@.service");
        assertThat(root.resolve("etc/rcS.d/S34mountnfs")).doesNotExist(); // a systemd release

        // /etc/shadow: the given hash for root, a SHA-512 hash of the clear password for the user, no clear text
        String shadow = tree.read("/etc/shadow").orElseThrow();
        int shadowGid = RootFiles.groupId(tree.read("/etc/group").orElseThrow(), "shadow");
        assertThat(TreeFiles.mode(root.resolve("etc/shadow"))).isEqualTo(0640);
        assertThat(TreeFiles.owner(root.resolve("etc/shadow"), "gid")).isEqualTo(shadowGid);
        assertThat(field(shadow, "root")).isEqualTo(rootHash);
        String userHash = field(shadow, "kerrighed");
        assertThat(userHash).startsWith("$6$");
        assertThat(Sha512Crypt.matches(new String(USER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8), userHash)).isTrue();
        assertThat(opensslHash(new String(USER_PASSWORD), userHash.split("\\$")[2])).isEqualTo(userHash);
        assertThat(shadow).doesNotContain(new String(USER_PASSWORD));
    }

    @Test
    @Order(3)
    void commandsRunInsideTheChroot() throws Exception {
        assertThat(chroot(root, "id", "-u", "kerrighed")).containsExactly("1000");
        assertThat(chroot(root, "stat", "-c", "%U:%G %a", "/home/kerrighed")).containsExactly("kerrighed:kerrighed 755");
        chroot(root, "visudo", "-c");
        assertThat(String.join("\n", chroot(root, "sudo", "-l", "-U", "kerrighed"))).contains("(ALL) ALL");
        assertThat(chroot(root, "dpkg-query", "-W", "-f=${Status}\\n", "nfs-common", "openssh-server", "isc-dhcp-client", "sudo"))
                .containsOnly("install ok installed");
        assertThat(chroot(root, "cat", "/etc/os-release")).anyMatch(l -> l.equals("VERSION_CODENAME=" + debootstrap.suite()));
    }

    @Test
    @Order(4)
    void aSecondBuildLeavesTheTreeIdentical() throws Exception {
        Map<String, String> first = TreeChecksum.of(root);
        List<Progress> again = Collections.synchronizedList(new ArrayList<>());
        DebianRoot.of(cluster, debootstrap, setup).build((s, d, t, x) -> again.add(new Progress(s, d, t, x)));
        assertThat(again).contains(new Progress("debootstrap", 1, 1, "already bootstrapped"));
        assertThat(again).contains(new Progress("packages", packages.size(), packages.size(), "all installed"));
        assertThat(TreeChecksum.of(root)).isEqualTo(first);
    }

    /**
     * The same root built as a library user builds it (issue 19): {@link Cluster#prepare} with the
     * {@code debootstrap} root build of this test's settings. The tree was made by
     * {@link #buildOnce()}, so every step finds its work done (no new download or install): the
     * root build runs in full but costs seconds, and the tree stays byte-for-byte the same.
     */
    @Test
    @Order(5)
    void clusterPrepareRunsTheDebootstrapRootBuildAndDescribesTheClusterThatBootsIt() throws Exception {
        Map<String, String> before = TreeChecksum.of(root);
        Path kernel = Files.write(temp.resolve("vmlinuz-test"), new byte[] {1, 2, 3});
        Path initrd = Files.write(temp.resolve("initrd.img-test"), new byte[] {4, 5, 6});
        // the kernel build only names a kernel and initrd: this test is about the root build in prepare()
        KernelBuild locate = l -> new KernelImage(kernel, Optional.of(initrd));
        Cluster described = cluster.toBuilder()
                .rootBuild(DebianRoot.provider(debootstrap, setup))
                .kernelBuild(KernelBuildProvider.of("located", context -> locate))
                .workFolder(temp.resolve("work"))
                .build();
        assertThatThrownBy(described::start).isInstanceOf(io.netboot4j.core.ClusterStartException.class)
                .hasMessageContaining("root build instance of").hasMessageContaining("call prepare()");

        List<String> phases = Collections.synchronizedList(new ArrayList<>());
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        Cluster prepared = described.prepare(new BuildListener() {
            @Override
            public void progress(String step, int done, int total, String detail) {
                seen.add(new Progress(step, done, total, detail));
            }

            @Override
            public void phase(int number, int count, String name) {
                phases.add(number + " of " + count + ": " + name);
            }
        });

        assertThat(phases).containsExactly("1 of 2: debootstrap root build", "2 of 2: located kernel build");
        assertThat(seen).contains(new Progress("debootstrap", 1, 1, "already bootstrapped"),
                new Progress("packages", packages.size(), packages.size(), "all installed"),
                new Progress("root build", DebianRoot.STEPS.size(), DebianRoot.STEPS.size(), "done"));
        assertThat(seen.stream().filter(p -> p.step().equals("root build")).map(Progress::detail))
                .containsSubsequence(DebianRoot.STEPS);
        assertThat(TreeChecksum.of(root)).isEqualTo(before);

        assertThat(prepared.prepared()).isTrue();
        assertThat(prepared.rootFilesystem()).isEqualTo(cluster.rootFilesystem());
        assertThat(prepared.boot().kernel()).isEqualTo(kernel);
        assertThat(prepared.boot().initrd()).contains(initrd);
        assertThat(prepared.boot().append()).isEqualTo(cluster.boot().append());
        assertThat(prepared.nodes()).isEqualTo(cluster.nodes());
        assertThat(prepared.workFolder()).contains(temp.resolve("work"));
        assertThat(temp.resolve("work/root-build")).isDirectory();
        assertThat(prepared.prepare()).as("a prepared cluster returns itself").isSameAs(prepared);
    }

    @Test
    @Order(6)
    void exportedByTheEmbeddedNfsServerAndReadWithLibnfs() throws Exception {
        exportedThroughTheEmbeddedNfsServerAndListedByLibnfs(root);
    }

    /**
     * A QEMU guest boots Debian's stock kernel and initramfs from this machine with the tree
     * as its NFS root (served by the embedded server; QEMU's user network makes the host
     * 10.0.2.2), reaches the serial login prompt, and root logs in with the password given
     * as a hash. Plain emulation (TCG), as in the nfs module's kernel client test; set
     * {@code NB_QEMU_ACCEL=kvm} to use KVM.
     */
    @Test
    @Order(7)
    @Tag("e2e")
    void aQemuNodeBootsTheTreeOverNfsToALoginPromptAndRootLogsIn() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "needs qemu-system-x86_64 (Debian package qemu-system-x86)");
        Path kernel;
        try (var s = Files.list(Path.of("/boot"))) {
            kernel = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().reduce((a, b) -> b).orElse(null);
        }
        assumeTrue(kernel != null, "needs a Debian kernel and initrd in /boot (Debian package linux-image-amd64)");
        Path initrd = Path.of("/boot", kernel.getFileName().toString().replace("vmlinuz-", "initrd.img-"));
        assumeTrue(Files.isReadable(initrd), "needs " + initrd + " (Debian packages linux-image-amd64, initramfs-tools)");

        // klibc's nfsmount asks the portmapper on port 111 (ours, or the system's the server registers with).
        awaitPort111FreeOrRpcbind();
        Cluster on111 = loopbackCluster(root, "127.0.0.1(rw,no_root_squash,insecure)", 111);
        List<BootEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (RootExport export = new EmbeddedNfsProvider().create(new ServiceContext(on111, Files.createDirectories(shared.resolve("boot-work")),
                events::add, NetworkSeam.host(), java.time.Clock.systemUTC()))) {
            export.start();
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-m", "768", "-nographic", "-no-reboot",
                    "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                    "-append", "console=ttyS0 panic=-1 no_timer_check root=/dev/nfs ip=dhcp rw nfsroot=10.0.2.2:" + root + ",vers=3,tcp",
                    "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"));
            if ("kvm".equals(System.getenv("NB_QEMU_ACCEL"))) {
                cmd.addAll(List.of("-enable-kvm", "-cpu", "host"));
            }
            try (QemuConsole guest = new QemuConsole(cmd)) {
                try {
                    // deadlines are safety nets for a slow emulated boot, not speed assertions
                    assertThat(guest.awaitAny(Duration.ofMinutes(8), " login: ", "emergency mode", "Kernel panic"))
                            .as("login prompt on ttyS0").isEqualTo(" login: ");
                    guest.type("root");
                    assertThat(guest.await("Password: ", Duration.ofMinutes(2))).as("password prompt").isTrue();
                    guest.type(ROOT_PASSWORD);
                    assertThat(guest.await("# ", Duration.ofMinutes(3))).as("root shell").isTrue();
                    guest.type("echo NB-ROOT-$((40+2)) $(findmnt -n -o FSTYPE /) $(id -un)");
                    assertThat(guest.await("NB-ROOT-42 nfs root", Duration.ofMinutes(2))).as("a command in the root shell").isTrue();
                } finally {
                    guest.save(shared.resolve("console.txt"));
                    System.out.println("guest console:\n" + guest.text());
                }
            }
        }
        assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted);
    }

    /** The built tree, exported by the embedded NFS server on loopback, as libnfs-utils (a client that is not ours) sees it. */
    private void exportedThroughTheEmbeddedNfsServerAndListedByLibnfs(Path root) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nfs-ls")), "needs nfs-ls and nfs-cat (Debian package libnfs-utils)");
        Cluster loopback = loopbackCluster(root, "127.0.0.1(ro,no_root_squash)", 0);
        List<BootEvent> events = Collections.synchronizedList(new ArrayList<>());
        Path work = Files.createDirectories(shared.resolve("nfs-work"));
        try (RootExport export = new EmbeddedNfsProvider().create(
                new ServiceContext(loopback, work, events::add, NetworkSeam.host(), java.time.Clock.systemUTC()))) {
            export.start();
            String base = "nfs://127.0.0.1" + root;
            String query = "?version=3&nfsport=" + export.endpoints().get("nfs").getPort()
                    + "&mountport=" + export.endpoints().get("mount").getPort();

            List<String> top = new ArrayList<>();
            ExternalCommand.of("nfs-ls", base + "/" + query).stdout(top::add).runChecked();
            List<String> topNames = top.stream().filter(l -> !l.isBlank()).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
            List<String> localTop;
            try (var s = Files.list(root)) {
                localTop = s.map(p -> p.getFileName().toString()).toList();
            }
            assertThat(topNames).containsExactlyInAnyOrderElementsOf(localTop).contains("etc", "usr", "config");

            List<String> etc = new ArrayList<>();
            ExternalCommand.of("nfs-ls", base + "/etc" + query).stdout(etc::add).runChecked();
            assertThat(etc).anyMatch(l -> l.startsWith("-rw-r--r--") && l.endsWith(" fstab"));
            assertThat(etc).anyMatch(l -> l.startsWith("-rw-r-----") && l.endsWith(" shadow"));
            assertThat(etc).noneMatch(l -> l.endsWith(" hostname"));

            for (String file : List.of("/etc/fstab", "/etc/hosts", "/etc/network/interfaces")) {
                List<String> got = new ArrayList<>();
                ExternalCommand.of("nfs-cat", base + file + query).stdout(got::add).runChecked();
                assertThat(String.join("\n", got) + "\n").as(file).isEqualTo(Files.readString(root.resolve(file.substring(1))));
            }
        }
        assertThat(events).anyMatch(e -> e instanceof BootEvent.RootMounted);
    }

    @Test
    @Order(8)
    void aFailedStepIsNamedKeepsTheTreeUnmountsProcAndTheNextBuildResumes() throws Exception {
        // The same tree, asked for a package that does not exist and another boot interface.
        NodeSetup bad = setup.toBuilder().packages("sudo", "no-such-package-netboot4j").bootInterface("ens3").build();
        String interfaces = Files.readString(root.resolve("etc/network/interfaces"));

        assertThatThrownBy(() -> DebianRoot.of(cluster, debootstrap, bad).build(BuildListener_none()))
                .isInstanceOfSatisfying(RootBuildException.class, e -> {
                    assertThat(e.step()).isEqualTo("packages");
                    assertThat(e.root()).isEqualTo(root);
                    assertThat(e.getMessage()).startsWith("root build step 'packages' failed for " + root)
                            .contains("apt-get").contains("no-such-package-netboot4j");
                });
        assertThat(root.resolve("var/lib/netboot4j/debootstrap")).isRegularFile(); // the tree is kept
        assertThat(Files.readString(root.resolve("etc/network/interfaces"))).isEqualTo(interfaces); // later steps did not run
        assertThat(Mounts.isMountPoint(root.resolve("proc"))).isFalse();
        assertThat(Mounts.isMountPoint(root.resolve("var/cache/apt/archives"))).isFalse();
        assertThat(root.resolve("usr/sbin/policy-rc.d")).doesNotExist();

        List<Progress> resumed = new ArrayList<>();
        DebianRoot.of(cluster, debootstrap, setup.toBuilder().bootInterface("ens3").build())
                .build((s, d, t, x) -> resumed.add(new Progress(s, d, t, x)));
        assertThat(resumed).contains(new Progress("debootstrap", 1, 1, "already bootstrapped"));
        assertThat(resumed).contains(new Progress("packages", packages.size(), packages.size(), "all installed"));
        assertThat(root.resolve("etc/network/interfaces")).content().endsWith("iface ens3 inet manual\n");
    }

    @Test
    @Order(9)
    void theExistingRootBuildAcceptsTheTreeAndRefusesAnEmptyFolder() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThatThrownBy(() -> ExistingRoot.at(empty).build(BuildListener_none()))
                .isInstanceOf(RootBuildException.class).hasMessageContaining("has no /etc");
        assertThat(ExistingRoot.problems(Path.of("/"))).isEmpty();
    }

    /**
     * Another test's in-process portmapper on port 111 (a concurrent test run on a shared
     * machine) would answer the guest with its own export; wait (bounded) until 111 is free
     * or held by the system's rpcbind, with which the embedded server registers.
     */
    private static void awaitPort111FreeOrRpcbind() throws Exception {
        for (int i = 0; i < 60; i++) {
            List<String> holders = new ArrayList<>();
            ExternalCommand.of("ss", "-ltnpH", "sport = :111").stdout(holders::add).run();
            if (holders.stream().allMatch(l -> l.isBlank() || l.contains("rpcbind"))) {
                return;
            }
            Thread.sleep(5000);
        }
    }

    private static Cluster loopbackCluster(Path root, String exportEntry, int portmapPort) {
        return Cluster.builder("rootfs-export")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                .budget(x -> x.unknownSources(new io.netboot4j.core.HeadBudget.SourceLimit(0, 64, 1000))) // clients of 127.0.0.1
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root).readWrite())
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, portmapPort))
                .with(NfsExports.clients(exportEntry))
                .build();
    }

    private static io.netboot4j.core.spi.BuildListener BuildListener_none() {
        return io.netboot4j.core.spi.BuildListener.none();
    }

    private static void assertFile(TreeFiles tree, String inside, String content, int uid, int gid, int mode) throws Exception {
        Path p = tree.resolve(inside);
        assertThat(Files.isSymbolicLink(p)).as(inside).isFalse();
        assertThat(tree.read(inside)).as(inside).contains(content);
        assertThat(TreeFiles.owner(p, "uid")).as(inside + " uid").isEqualTo(uid);
        assertThat(TreeFiles.owner(p, "gid")).as(inside + " gid").isEqualTo(gid);
        assertThat(TreeFiles.mode(p)).as(inside + " mode").isEqualTo(mode);
    }

    private static String field(String shadow, String user) {
        return shadow.lines().filter(l -> l.startsWith(user + ":")).findFirst().orElseThrow().split(":")[1];
    }

    private static List<String> chroot(Path root, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chroot", root.toString()));
        cmd.addAll(List.of(argv));
        List<String> out = new ArrayList<>();
        ExternalCommand.of(cmd).debianEnvironment().stdout(out::add).runChecked();
        return out;
    }

    private static String opensslHash(String password, String salt) throws Exception {
        Path in = Files.createTempFile("pw", ".txt");
        try {
            Files.writeString(in, password + "\n");
            List<String> out = new ArrayList<>();
            ExternalCommand.of("sh", "-c", "openssl passwd -6 -salt '" + salt + "' -stdin < '" + in + "'").stdout(out::add).runChecked();
            return out.getFirst();
        } finally {
            Files.delete(in);
        }
    }

    /** The guide's cluster; a stand-in extension named kerrighed marks a Kerrighed cluster. */
    static final class GuideClusters {
        private GuideClusters() {
        }

        record KerrighedLike() implements ClusterExtension {
            @Override
            public String name() {
                return "kerrighed";
            }
        }

        static Cluster of(Path root, boolean kerrighed) {
            var b = Cluster.builder("kerrighed")
                    .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
                            .domain("kerrighed").serverName("kerrighedserver"))
                    .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101")
                    .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                    .rootFilesystem(r -> r.path(root).readWrite());
            if (kerrighed) {
                b.with(new KerrighedLike());
            }
            return b.build();
        }
    }
}
