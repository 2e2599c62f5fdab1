package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.spi.RootBuild;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.nfsroot.rootfs.ExistingRoot;

/** The {@code existing} root build: the cluster's root folder as it is; found by {@link java.util.ServiceLoader}. */
public final class ExistingRootBuildProvider extends NamedProvider<RootBuild> implements RootBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ExistingRootBuildProvider() {
        super("existing", context -> ExistingRoot.at(context.cluster().rootFilesystem().path()));
    }
}
