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
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("a provider needs a name and a factory");
        }
        return new RootBuildProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RootBuild create(ServiceContext context) {
                return factory.apply(context);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
