package io.netboot4j.core.spi;

/** Provider of root filesystem builds; the default is named {@code existing}. */
public interface RootBuildProvider extends ServiceProvider<RootBuild> {
}
