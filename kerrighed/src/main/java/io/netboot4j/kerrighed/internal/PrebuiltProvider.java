package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.kerrighed.PrebuiltKernel;

/** {@code prebuilt}: the cluster's boot kernel and initrd, checked and copied to {@code <workFolder>/boot}. */
public final class PrebuiltProvider extends NamedProvider<KernelBuild> implements KernelBuildProvider {

    /** For {@link java.util.ServiceLoader}. */
    public PrebuiltProvider() {
        super(PrebuiltKernel.NAME, context -> {
            var boot = context.cluster().boot();
            return new PrebuiltKernel(boot.kernel(), boot.initrd(), context.workFolder().resolve("boot"));
        });
    }
}
