package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.nfsroot.rootfs.DebianRoot;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;
import io.netboot4j.nfsroot.rootfs.Password;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's part 1.5 test, automated: "boot each of the nodes ... you should be presented
 * with a login prompt". The root is a Debian root made by the root filesystem builder
 * ({@link DebianRoot}: debootstrap minbase of the machine's release, plus {@link NodeSetup#MINBASE_BOOT_PACKAGES}: systemd,
 * udev (without it systemd never sees /dev/ttyS0), ifupdown, a user, a getty on the serial console); one QEMU node boots Debian's stock kernel
 * and initrd from the embedded DHCP and TFTP servers, mounts that root over the embedded NFS
 * server, and systemd brings up a login prompt on {@code ttyS0}; the test then logs in.
 * The root and kernel builds run through {@link Cluster#prepare(BuildListener)} as a user of the
 * library runs them (the guide from one builder, issue 19): {@code prepare} twice gives the same
 * cluster (the second run finds every step done). Downloads are cached in {@link Debootstrap#DEFAULT_CACHE}.
 */
@Tag("e2e")
class DebianRootBootTest {

    private static final char[] PASSWORD = "netboot4j e2e".toCharArray();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void aNodeBootsTheDebianRootMadeByTheRootBuilderToALoginPromptOnItsSerialConsole() throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/debootstrap")), "needs /usr/sbin/debootstrap: install the Debian package debootstrap");
        DebianKernel kernel = DebianKernel.require();
        try (VirtualNetwork net = VirtualNetwork.create("nb-deb", "10.94.0.0/24")) {
            NodeSetup setup = NodeSetup.builder().packages(NodeSetup.MINBASE_BOOT_PACKAGES)
                    .user("kerrighed", Password.clear(PASSWORD.clone())).serialConsole("ttyS0").build();
            Cluster described = net.clusterBuilder("debian")
                    .node("debiannode1", "52:54:00:94:00:11", "10.94.0.11")
                    // net.ifnames=0: the card is eth0, as in the guide and NodeSetup's default boot interface
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 net.ifnames=0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(work.resolve("root")))
                    .workFolder(work.resolve("cluster"))
                    .rootBuild(DebianRoot.provider(Debootstrap.builder().variant(Debootstrap.Variant.MINBASE).build(), setup))
                    .kernelBuild("prebuilt")
                    .build();
            assertThat(described.prepared()).isFalse();
            List<String> phases = new CopyOnWriteArrayList<>();
            BuildListener listener = new BuildListener() {
                @Override public void progress(String step, int done, int total, String detail) {
                    System.out.printf("prepare: %s %d/%d %s%n", step, done, total, detail);
                }
                @Override public void phase(int number, int count, String name) {
                    phases.add(number + " of " + count + ": " + name);
                }
            };
            Cluster cluster = described.prepare(listener);
            assertThat(phases).containsExactly("1 of 2: debootstrap root build", "2 of 2: prebuilt kernel build");
            assertThat(cluster.prepared()).isTrue();
            assertThat(cluster.boot().kernel()).startsWith(work.resolve("cluster"));
            assertThat(cluster.rootFilesystem().path().resolve("etc/debian_version")).isRegularFile();
            long again = System.nanoTime();
            assertThat(described.prepare(listener)).as("prepare is idempotent").isEqualTo(cluster);
            System.out.printf("second prepare (every step already done): %.1f s%n", (System.nanoTime() - again) / 1e9);

            try (RunningCluster running = cluster.start();
                 VirtualNode node = net.powerOn(cluster.nodes().getFirst(), work.resolve("debiannode1.console"))) {
                node.awaitConsole(Pattern.compile("Linux version"), Duration.ofMinutes(5));
                var prompt = node.awaitConsole(Pattern.compile("login:\\s*$"), Duration.ofMinutes(12));
                System.out.println("login prompt after " + prompt.at().toSeconds() + " s: " + prompt.text());
                assertThat(running.await("debiannode1", NodeState.UP, Duration.ofMinutes(1)).state()).isEqualTo(NodeState.UP);
                int from = node.consoleLines().size();
                node.type("kerrighed\n");
                node.awaitConsole(Pattern.compile("Password:"), from, Duration.ofMinutes(2));
                node.type(new String(PASSWORD) + "\n");
                node.awaitConsole(Pattern.compile("\\$\\s*$"), from, Duration.ofMinutes(3));
                node.type("echo netboot4j-logged-in-as-$(id -un)-on-$(hostname) && cat /proc/cmdline\n");
                node.awaitConsole(Pattern.compile("netboot4j-logged-in-as-kerrighed-on-"), from, Duration.ofMinutes(2));
                node.awaitConsole(Pattern.compile("root=/dev/nfs nfsroot=10\\.94\\.0\\.1:"), from, Duration.ofMinutes(1));
            }
        }
    }
}
