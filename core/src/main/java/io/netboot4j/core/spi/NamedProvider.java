package io.netboot4j.core.spi;

import java.util.function.Function;

/**
 * A provider that is a name and a factory: the base of providers whose {@link #create} only
 * constructs the implementation. A provider found by {@link java.util.ServiceLoader} extends
 * it with a public no-argument constructor and implements its concern's provider interface:
 *
 * {@snippet :
 * public final class MyDhcpProvider extends NamedProvider<AddressAllocation> implements AddressAllocationProvider {
 *     public MyDhcpProvider() {
 *         super("my-dhcp", MyDhcp::new);
 *     }
 * }
 * }
 *
 * @param <S> what the provider creates
 */
public abstract class NamedProvider<S> implements ServiceProvider<S> {

    private final String name;
    private final Function<ServiceContext, S> factory;

    /**
     * A provider named {@code name} whose {@link #create} is {@code factory}.
     *
     * @throws IllegalArgumentException if the name is empty or the factory null
     */
    protected NamedProvider(String name, Function<ServiceContext, S> factory) {
        if (name == null || name.isBlank() || factory == null) {
            throw new IllegalArgumentException("a provider needs a name and a factory");
        }
        this.name = name;
        this.factory = factory;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final S create(ServiceContext context) {
        return factory.apply(context);
    }

    /** The provider's name. */
    @Override
    public String toString() {
        return name;
    }
}
