package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.spi.RootBuild;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.rootfs.DebianRoot;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;

/** The {@code debootstrap} root build with the machine's defaults; found by {@link java.util.ServiceLoader}. */
public final class DebootstrapRootBuildProvider implements RootBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public DebootstrapRootBuildProvider() {
    }

    @Override
    public String name() {
        return "debootstrap";
    }

    @Override
    public RootBuild create(ServiceContext context) {
        return DebianRoot.of(context.cluster(), Debootstrap.defaults(), NodeSetup.defaults(), context.clock());
    }
}
