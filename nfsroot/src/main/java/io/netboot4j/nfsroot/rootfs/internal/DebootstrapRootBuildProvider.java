package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.spi.RootBuild;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.nfsroot.rootfs.DebianRoot;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;

/** The {@code debootstrap} root build with the machine's defaults; found by {@link java.util.ServiceLoader}. */
public final class DebootstrapRootBuildProvider extends NamedProvider<RootBuild> implements RootBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public DebootstrapRootBuildProvider() {
        super("debootstrap", context -> DebianRoot.of(context.cluster(), Debootstrap.defaults(), NodeSetup.defaults(), context.clock()));
    }
}
