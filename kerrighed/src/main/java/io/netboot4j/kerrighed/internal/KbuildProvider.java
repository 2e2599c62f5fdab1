package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.kerrighed.KbuildKernel;

/**
 * {@code kbuild} by name: builds the Linux tree at {@code <workFolder>/linux} (a folder or
 * a symbolic link to one). For another tree pass
 * {@link KbuildKernel#provider(KbuildKernel.Settings)}.
 */
public final class KbuildProvider implements KernelBuildProvider {

    @Override
    public String name() {
        return KbuildKernel.NAME;
    }

    @Override
    public KernelBuild create(ServiceContext context) {
        return new KbuildKernel(KbuildKernel.Settings.of(context.workFolder().resolve("linux"), context.workFolder()));
    }
}
