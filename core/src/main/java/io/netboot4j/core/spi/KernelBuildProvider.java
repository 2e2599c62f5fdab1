package io.netboot4j.core.spi;

/** Provider of kernel builds; the default is named {@code prebuilt}. */
public interface KernelBuildProvider extends ServiceProvider<KernelBuild> {
}
