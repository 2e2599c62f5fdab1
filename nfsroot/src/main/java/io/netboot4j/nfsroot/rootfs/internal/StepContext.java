package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What a step of the root build works with.
 *
 * @param tree the root filesystem's files
 * @param cluster the cluster (its nodes, server and extensions)
 * @param debootstrap how the root is bootstrapped
 * @param setup the setup inside the root
 * @param listener progress
 * @param clock time (the shadow file's last-change day)
 * @param random salts
 */
public record StepContext(TreeFiles tree, Cluster cluster, Debootstrap debootstrap, NodeSetup setup, BuildListener listener,
                          Clock clock, SecureRandom random) {

    /** Whether {@code /config} and configfs are wanted: the setting, else whether the cluster has an extension named {@code kerrighed}. */
    public boolean configfs() {
        return setup.configfs().orElseGet(() -> cluster.extensions().stream().anyMatch(e -> "kerrighed".equals(e.name())));
    }

    /** {@code chroot <root> argv...} with the Debian environment. */
    public ExternalCommand chroot(String... argv) {
        String[] full = new String[argv.length + 2];
        full[0] = "chroot";
        full[1] = tree.root().toString();
        System.arraycopy(argv, 0, full, 2, argv.length);
        return ExternalCommand.of(full).debianEnvironment().env("HOME", "/root");
    }
}
