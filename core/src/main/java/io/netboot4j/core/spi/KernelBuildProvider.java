package io.netboot4j.core.spi;

/** Provider of kernel builds; the default is named {@code prebuilt}. */
public interface KernelBuildProvider extends ServiceProvider<KernelBuild> {

    /**
     * A provider named {@code name} whose {@link #create} is {@code factory}: how a
     * kernel build with settings of its own is passed to the builder
     * ({@code ClusterBuilder.kernelBuild(..)}).
     *
     * @throws IllegalArgumentException if the name is empty or the factory null
     */
    static KernelBuildProvider of(String name, java.util.function.Function<ServiceContext, KernelBuild> factory) {
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("a provider needs a name and a factory");
        }
        return new KernelBuildProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KernelBuild create(ServiceContext context) {
                return factory.apply(context);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
