package io.netboot4j.core.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds providers with {@link ServiceLoader} and picks one.
 *
 * <p>A provider that fails to load is logged and skipped; loading goes on (as SLF4J does).
 */
public final class Providers {

    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private Providers() {
    }

    /**
     * Every provider of {@code type} visible to netboot4j: on the module path, and on the
     * class path through the thread's context class loader.
     *
     * @return providers by name, sorted by name
     */
    public static <P extends ServiceProvider<?>> Map<String, P> available(Class<P> type) {
        Map<String, P> found = new LinkedHashMap<>();
        collect(type, () -> ServiceLoader.load(type), found);
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl != null) {
            collect(type, () -> ServiceLoader.load(type, tccl), found);
        }
        return sorted(found);
    }

    /** Every provider of {@code type} in {@code layer} (and its parents). */
    public static <P extends ServiceProvider<?>> Map<String, P> available(Class<P> type, ModuleLayer layer) {
        Map<String, P> found = new LinkedHashMap<>();
        collect(type, () -> ServiceLoader.load(layer, type), found);
        return sorted(found);
    }

    /** Every provider of {@code type} that {@code loader} sees through {@code META-INF/services}. */
    public static <P extends ServiceProvider<?>> Map<String, P> available(Class<P> type, ClassLoader loader) {
        Map<String, P> found = new LinkedHashMap<>();
        collect(type, () -> ServiceLoader.load(type, loader), found);
        return sorted(found);
    }

    private static <P extends ServiceProvider<?>> Map<String, P> sorted(Map<String, P> found) {
        Map<String, P> out = new LinkedHashMap<>();
        found.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static <P extends ServiceProvider<?>> void collect(Class<P> type, Supplier<ServiceLoader<P>> loader, Map<String, P> into) {
        var it = loader.get().iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                P p = it.next();
                P previous = into.putIfAbsent(p.name(), p);
                if (previous != null && previous.getClass() != p.getClass()) {
                    LOG.warn("two {} providers are named '{}': {} and {}; using the first", type.getSimpleName(),
                            p.name(), previous.getClass().getName(), p.getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("a {} provider failed to load and is skipped: {}", type.getSimpleName(), e.getMessage());
            }
        }
    }

    /**
     * Picks a provider: {@code choice} first (instance, then name), then the single one
     * available, then the one named {@code defaultName}.
     *
     * @param type the concern
     * @param choice what the user chose
     * @param defaultName the embedded default's name
     * @param available what is available, by name
     * @return the provider
     * @throws IllegalStateException naming the available providers when the name is unknown,
     *     none is available, or several are and none is the default
     */
    public static <P extends ServiceProvider<?>> P choose(Class<P> type, ProviderChoice<P> choice, String defaultName,
                                                          Map<String, P> available) {
        String concern = type.getSimpleName().replace("Provider", "");
        if (choice.instance().isPresent()) {
            return choice.instance().get();
        }
        if (choice.name().isPresent()) {
            P p = available.get(choice.name().get());
            if (p == null) {
                throw new IllegalStateException("no " + concern + " provider is named '" + choice.name().get()
                        + "'; available: " + names(available));
            }
            return p;
        }
        if (available.size() == 1) {
            return available.values().iterator().next();
        }
        P byDefault = available.get(defaultName);
        if (byDefault != null) {
            return byDefault;
        }
        if (available.isEmpty()) {
            throw new IllegalStateException("no " + concern + " provider is available: add the netboot4j module that provides '"
                    + defaultName + "' to the class or module path, or pass a provider instance to the builder");
        }
        throw new IllegalStateException("several " + concern + " providers are available (" + names(available)
                + ") and none was chosen: choose one by name or instance in the ClusterBuilder");
    }

    private static String names(Map<String, ?> available) {
        return available.isEmpty() ? "none" : String.join(", ", new ArrayList<>(available.keySet()));
    }

    /** The names of {@code available}, comma-separated, or {@code none}. */
    static List<String> nameList(Map<String, ?> available) {
        return List.copyOf(available.keySet());
    }
}
