package io.netboot4j.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider compiled into a separate jar is discovered on the class path (through
 * {@code META-INF/services}) and on the module path (through {@code provides}).
 */
class ProviderDiscoveryTest {

    private static final String PROVIDER = """
            package com.example.dhcp;

            import io.netboot4j.core.spi.AddressAllocation;
            import io.netboot4j.core.spi.AddressAllocationProvider;
            import io.netboot4j.core.spi.ServiceContext;

            public final class ExampleDhcpProvider implements AddressAllocationProvider {
                @Override public String name() { return "example-dhcp"; }
                @Override public AddressAllocation create(ServiceContext context) { throw new UnsupportedOperationException(); }
            }
            """;

    private static final String MODULE_INFO = """
            module com.example.dhcp {
                requires io.netboot4j.core;
                provides io.netboot4j.core.spi.AddressAllocationProvider with com.example.dhcp.ExampleDhcpProvider;
            }
            """;

    static Path coreClasses() throws Exception {
        return Path.of(AddressAllocationProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static Path compileJar(Path dir, boolean asModule) throws Exception {
        Path src = dir.resolve("src/com/example/dhcp");
        Files.createDirectories(src);
        Files.writeString(src.resolve("ExampleDhcpProvider.java"), PROVIDER);
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--release", "25"));
        String path = coreClasses() + java.io.File.pathSeparator + jarOf(org.slf4j.Logger.class);
        if (asModule) {
            Files.writeString(dir.resolve("src/module-info.java"), MODULE_INFO);
            args.addAll(List.of("--module-path", path, dir.resolve("src/module-info.java").toString()));
        } else {
            args.addAll(List.of("-cp", path));
        }
        args.add(src.resolve("ExampleDhcpProvider.java").toString());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
        Path jar = dir.resolve(asModule ? "mods/example-dhcp.jar" : "example-dhcp.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    j.putNextEntry(new JarEntry(out.relativize(f).toString()));
                    Files.copy(f, j);
                    j.closeEntry();
                }
            }
            if (!asModule) {
                j.putNextEntry(new JarEntry("META-INF/services/io.netboot4j.core.spi.AddressAllocationProvider"));
                j.write("com.example.dhcp.ExampleDhcpProvider\n".getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void aProviderInASeparateJarIsFoundOnTheClassPath(@TempDir Path dir) throws Exception {
        Path jar = compileJar(dir, false);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            Map<String, AddressAllocationProvider> found = Providers.available(AddressAllocationProvider.class, loader);
            assertThat(found).containsOnlyKeys("example-dhcp");
            AddressAllocationProvider chosen = Providers.choose(AddressAllocationProvider.class,
                    ProviderChoice.named("example-dhcp"), "embedded", found);
            assertThat(chosen.getClass().getName()).isEqualTo("com.example.dhcp.ExampleDhcpProvider");
            // Through the context class loader, as applications on the class path are found.
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                assertThat(Providers.available(AddressAllocationProvider.class)).containsKey("example-dhcp");
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    @Test
    void aProviderModuleIsFoundOnTheModulePath(@TempDir Path dir) throws Exception {
        Path jar = compileJar(dir, true);
        ModuleFinder finder = ModuleFinder.of(jar.getParent(), coreClasses(), jarOf(org.slf4j.Logger.class));
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(),
                Set.of("com.example.dhcp", "io.netboot4j.core"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertThat(layer.findModule("com.example.dhcp")).isPresent();
        // The layer has its own copy of core: use its types, reflectively.
        ClassLoader loader = layer.findLoader("io.netboot4j.core");
        Class<?> type = loader.loadClass("io.netboot4j.core.spi.AddressAllocationProvider");
        Class<?> providers = loader.loadClass("io.netboot4j.core.spi.Providers");
        @SuppressWarnings("unchecked")
        Map<String, ?> found = (Map<String, ?>) providers.getMethod("available", Class.class, ModuleLayer.class)
                .invoke(null, type, layer);
        assertThat(found).containsOnlyKeys("example-dhcp");
        assertThat(found.get("example-dhcp").getClass().getModule().getName()).isEqualTo("com.example.dhcp");
    }

    @Test
    void choiceOrderAndErrorsNameTheAvailableProviders() {
        AddressAllocationProvider a = named("embedded");
        AddressAllocationProvider b = named("kea");
        AddressAllocationProvider c = named("isc-dhcpd");
        AddressAllocationProvider given = named("mine");
        Map<String, AddressAllocationProvider> two = Map.of("kea", b, "isc-dhcpd", c);
        Map<String, AddressAllocationProvider> three = new java.util.TreeMap<>(Map.of("embedded", a, "kea", b, "isc-dhcpd", c));
        Class<AddressAllocationProvider> t = AddressAllocationProvider.class;
        assertThat(Providers.choose(t, ProviderChoice.of(given), "embedded", three)).isSameAs(given);
        assertThat(Providers.choose(t, ProviderChoice.named("kea"), "embedded", three)).isSameAs(b);
        assertThat(Providers.choose(t, ProviderChoice.unchosen(), "embedded", Map.of("kea", b))).isSameAs(b);
        assertThat(Providers.choose(t, ProviderChoice.unchosen(), "embedded", three)).isSameAs(a);
        assertThatThrownBy(() -> Providers.choose(t, ProviderChoice.named("dnsmasq"), "embedded", three))
                .hasMessage("no AddressAllocation provider is named 'dnsmasq'; available: embedded, isc-dhcpd, kea");
        assertThatThrownBy(() -> Providers.choose(t, ProviderChoice.unchosen(), "embedded", new java.util.TreeMap<>(two)))
                .hasMessage("several AddressAllocation providers are available (isc-dhcpd, kea) and none was chosen: "
                        + "choose one by name or instance in the ClusterBuilder");
        assertThatThrownBy(() -> Providers.choose(t, ProviderChoice.unchosen(), "embedded", Map.of()))
                .hasMessageStartingWith("no AddressAllocation provider is available");
    }

    @Test
    void aProviderThatFailsToLoadIsSkipped(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("broken.jar");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o)) {
            j.putNextEntry(new JarEntry("META-INF/services/io.netboot4j.core.spi.AddressAllocationProvider"));
            j.write("com.example.Missing\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            assertThat(Providers.available(AddressAllocationProvider.class, loader)).isEmpty();
        }
    }

    private static AddressAllocationProvider named(String name) {
        return new AddressAllocationProvider() {
            @Override public String name() { return name; }
            @Override public AddressAllocation create(ServiceContext context) { throw new UnsupportedOperationException(); }
        };
    }
}
