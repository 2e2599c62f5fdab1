package io.netboot4j.core.spi;

/** Provider of root filesystem builds; the default is named {@code existing}. */
public interface RootBuildProvider extends ServiceProvider<RootBuild> {

    /**
     * A provider named {@code name} whose {@link #create} is {@code factory}: how a
     * root build with settings of its own is passed to the builder
     * ({@code ClusterBuilder.rootBuild(..)}).
     *
     * @throws IllegalArgumentException if the name is empty or the factory null
     */
    static RootBuildProvider of(String name, java.util.function.Function<ServiceContext, RootBuild> factory) {
        final class Named extends NamedProvider<RootBuild> implements RootBuildProvider {
            Named() {
                super(name, factory);
            }
        }
        return new Named();
    }
}
