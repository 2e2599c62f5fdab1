package io.netboot4j.testkit;

import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.testkit.internal.Requirements;
import java.nio.file.Path;

/**
 * What a QEMU boot test of a cluster boots: Debian's stock kernel and initrd and a
 * {@link BusyboxRoot}, with the kernel arguments such a boot needs.
 * {@link #clusterBuilder(VirtualNetwork, String)} starts a cluster description on a
 * {@link VirtualNetwork} that boots them, so a test adds only its nodes and what it is about.
 *
 * {@snippet :
 * assumeTrue(BusyboxBoot.available(), BusyboxBoot.unavailableReason());
 * BusyboxBoot boot = BusyboxBoot.create(tempDir.resolve("root"));
 * try (VirtualNetwork net = VirtualNetwork.create("nb-mytest", "10.97.0.0/24")) {
 *     Cluster cluster = boot.clusterBuilder(net, "mytest").node("node1", "52:54:00:97:00:11", "10.97.0.11").build();
 *     try (RunningCluster running = cluster.start();
 *          VirtualNode node = net.powerOn(cluster.nodes().getFirst(), tempDir.resolve("node1.console"))) {
 *         node.awaitConsole(BusyboxRoot.WROTE_LINE, Duration.ofMinutes(8));
 *     }
 * }
 * }
 *
 * @param kernel the kernel and initrd the nodes boot
 * @param root the root filesystem they mount over NFS
 */
public record BusyboxBoot(DebianKernel kernel, BusyboxRoot root) {

    /**
     * The kernel arguments of every such boot: the serial console that {@link VirtualNode}
     * reads, power off on panic (QEMU then exits), and no IO-APIC timer check (software
     * emulation on a loaded host can fail it and panic).
     */
    public static final String KERNEL_ARGUMENTS = "console=ttyS0 panic=-1 no_timer_check";

    /** Whether this host can boot virtual nodes with a busybox root and Debian's kernel. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why {@link #available()} is false, naming the Debian package to install; empty if it is true. */
    public static String unavailableReason() {
        return Requirements.after(VirtualNode.unavailableReason()).and(BusyboxRoot.unavailableReason())
                .holds(DebianKernel.find().isPresent(), DebianKernel.unavailableReason()).reason();
    }

    /**
     * Makes the busybox root in {@code rootFolder} and finds Debian's kernel.
     *
     * @throws IllegalStateException if {@link #available()} is false
     */
    public static BusyboxBoot create(Path rootFolder) {
        String why = unavailableReason();
        if (!why.isEmpty()) {
            throw new IllegalStateException(why);
        }
        return new BusyboxBoot(DebianKernel.require(), BusyboxRoot.create(rootFolder));
    }

    /**
     * A cluster builder on {@code net} ({@link VirtualNetwork#clusterBuilder(String)}) whose
     * nodes boot {@link #kernel()} with {@link #KERNEL_ARGUMENTS} and mount {@link #root()}.
     * Boot and root filesystem are set in this builder (a second {@code boot(..)} is an
     * {@link IllegalStateException}); a test that needs more kernel arguments or other boot
     * files describes its boot itself.
     */
    public ClusterBuilder clusterBuilder(VirtualNetwork net, String name) {
        return net.clusterBuilder(name)
                .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append(KERNEL_ARGUMENTS))
                .rootFilesystem(r -> r.path(root.path()));
    }
}
