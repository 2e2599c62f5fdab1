package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.kerrighed.BuildRoot;
import io.netboot4j.kerrighed.Kerrighed24Build;

/**
 * {@code kerrighed-2.4} by name: builds inside the cluster's root filesystem with
 * {@code chroot}, cache and stamps in the work folder, pins from
 * {@code <workFolder>/cache/SHA256SUMS}. For other settings pass
 * {@link Kerrighed24Build#provider(Kerrighed24Build.Settings)}.
 */
public final class Kerrighed24Provider extends NamedProvider<KernelBuild> implements KernelBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public Kerrighed24Provider() {
        super(Kerrighed24Build.NAME, context -> new Kerrighed24Build(Kerrighed24Build.Settings
                .of(BuildRoot.chroot(context.cluster().rootFilesystem().path()), context.workFolder())
                .withCluster(context.cluster())));
    }
}
