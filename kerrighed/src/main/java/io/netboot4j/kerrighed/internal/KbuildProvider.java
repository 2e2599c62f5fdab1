package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.kerrighed.KbuildKernel;

/**
 * {@code kbuild} by name: builds the Linux tree at {@code <workFolder>/linux} (a folder or
 * a symbolic link to one). For another tree pass
 * {@link KbuildKernel#provider(KbuildKernel.Settings)}.
 */
public final class KbuildProvider extends NamedProvider<KernelBuild> implements KernelBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public KbuildProvider() {
        super(KbuildKernel.NAME, context -> new KbuildKernel(KbuildKernel.Settings.of(context.workFolder().resolve("linux"), context.workFolder())));
    }
}
