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
        final class Named extends NamedProvider<KernelBuild> implements KernelBuildProvider {
            Named() {
                super(name, factory);
            }
        }
        return new Named();
    }
}
