package io.netboot4j.core.spi;

import java.util.Optional;

/**
 * What the user chose for one concern: a provider instance, a name, or nothing (the
 * default applies).
 *
 * @param name the chosen name, if chosen by name
 * @param instance the chosen instance, if one was given
 * @param <P> the provider type
 */
public record ProviderChoice<P>(Optional<String> name, Optional<P> instance) {

    /** No choice: the default applies. */
    public static <P> ProviderChoice<P> unchosen() {
        return new ProviderChoice<>(Optional.empty(), Optional.empty());
    }

    /** Chosen by name. */
    public static <P> ProviderChoice<P> named(String name) {
        return new ProviderChoice<>(Optional.of(name), Optional.empty());
    }

    /** Chosen as an instance. */
    public static <P> ProviderChoice<P> of(P instance) {
        return new ProviderChoice<>(Optional.empty(), Optional.of(instance));
    }

    /** Whether anything was chosen. */
    public boolean isChosen() {
        return name.isPresent() || instance.isPresent();
    }

    @Override
    public String toString() {
        return instance.map(i -> "instance of " + i.getClass().getName()).or(() -> name).orElse("default");
    }
}
