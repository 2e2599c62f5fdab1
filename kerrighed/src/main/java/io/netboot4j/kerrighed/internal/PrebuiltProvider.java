package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.kerrighed.PrebuiltKernel;

/** {@code prebuilt}: the cluster's boot kernel and initrd, checked and copied to {@code <workFolder>/boot}. */
public final class PrebuiltProvider implements KernelBuildProvider {

    @Override
    public String name() {
        return PrebuiltKernel.NAME;
    }

    @Override
    public KernelBuild create(ServiceContext context) {
        var boot = context.cluster().boot();
        return new PrebuiltKernel(boot.kernel(), boot.initrd(), context.workFolder().resolve("boot"));
    }
}
