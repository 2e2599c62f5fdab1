package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer project uses netboot4j as a user would, without {@code mvn install}: a small
 * program is compiled with the JDK's {@code javac} tool ({@link ToolProvider}) against the reactor's modules and run, once on
 * the module path (as module {@code com.example.consumer}) and once on the class path. It
 * uses only the public API: builds a cluster with server settings, changes it through
 * {@code toBuilder()}, and finds every provider by name through {@code ServiceLoader}.
 */
class ConsumerProjectTest {

    static final Set<String> LIBRARY = Set.of("core", "boot", "http", "dhcp", "tftp", "nfsroot", "kerrighed");

    static final String MAIN = """
            package com.example.consumer;

            import io.netboot4j.core.Cluster;
            import io.netboot4j.core.spi.AddressAllocationProvider;
            import io.netboot4j.core.spi.BootFileServiceProvider;
            import io.netboot4j.core.spi.KernelBuildProvider;
            import io.netboot4j.core.spi.Providers;
            import io.netboot4j.core.spi.RootBuildProvider;
            import io.netboot4j.core.spi.RootExportProvider;
            import io.netboot4j.dhcp.DhcpSettings;
            import io.netboot4j.tftp.TftpSettings;
            import java.nio.file.Path;
            import java.time.Duration;

            public final class Main {
                public static void main(String[] args) {
                    Cluster c = Cluster.builder("consumer")
                            .network(n -> n.interfaceName("eth0").subnet("10.9.0.0/24").server("10.9.0.1"))
                            .nodes("node%d", 3, "02:00:00:09:00:01", "10.9.0.11")
                            .boot(b -> b.kernel(Path.of("/boot/vmlinuz")).append("console=ttyS0"))
                            .rootFilesystem(r -> r.path("/srv/root"))
                            .with(TftpSettings.builder().maxTransfers(8).build())
                            .with(DhcpSettings.builder().leaseTime(Duration.ofHours(1)).build())
                            .rootBuild("existing").kernelBuild("prebuilt")
                            .build();
                    Cluster changed = c.toBuilder().network(n -> n.server("10.9.0.2")).build();
                    System.out.println("nodes " + changed.nodes().size() + " server " + changed.network().server().getHostAddress()
                            + " tftp " + TftpSettings.of(changed).maxTransfers());
                    System.out.println("dhcp " + Providers.available(AddressAllocationProvider.class).keySet());
                    System.out.println("tftp " + Providers.available(BootFileServiceProvider.class).keySet());
                    System.out.println("nfs " + Providers.available(RootExportProvider.class).keySet());
                    System.out.println("kernel " + Providers.available(KernelBuildProvider.class).keySet());
                    System.out.println("root " + Providers.available(RootBuildProvider.class).keySet());
                }
            }
            """;

    static final String MODULE_INFO = """
            module com.example.consumer {
                requires io.netboot4j.core;
                requires io.netboot4j.dhcp;
                requires io.netboot4j.tftp;
                requires io.netboot4j.nfsroot;
                requires io.netboot4j.kerrighed;
            }
            """;

    static final List<String> EXPECTED = List.of(
            "nodes 3 server 10.9.0.2 tftp 8",
            "dhcp [embedded, isc-dhcpd, kea]",
            "tftp [embedded, tftpd-hpa]",
            "nfs [embedded, kernel-nfsd, nfs-ganesha]",
            "kernel [kbuild, kerrighed-2.4, prebuilt]",
            "root [debootstrap, existing]");

    @TempDir
    Path work;

    /**
     * The library's modules (their compiled classes or jars) and the third-party modules they
     * require, found on this test's class path by module name (so a new dependency of a
     * library module is picked up without changing this test).
     */
    static List<Path> libraryPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> ours = new ArrayList<>();
        java.util.Map<String, Path> others = new java.util.LinkedHashMap<>();
        java.util.Map<String, ModuleDescriptor> descriptors = new java.util.HashMap<>();
        for (String e : cp.split(File.pathSeparator)) {
            Path p = Path.of(e);
            String name = p.getFileName().toString();
            boolean classes = p.endsWith(Path.of("target", "classes")) && LIBRARY.contains(p.getParent().getParent().getFileName().toString());
            boolean jar = LIBRARY.stream().anyMatch(m -> name.startsWith("netboot4j-" + m + "-")) && !name.contains("tests");
            ModuleDescriptor d = describe(p);
            if (d == null) {
                continue;
            }
            if (classes || jar) {
                ours.add(p);
                descriptors.put(d.name(), d);
            } else if (!d.name().startsWith("io.netboot4j.")) {
                others.putIfAbsent(d.name(), p);
                descriptors.putIfAbsent(d.name(), d);
            }
        }
        List<Path> out = new ArrayList<>(ours);
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        ours.forEach(p -> todo.add(describe(p).name()));
        Set<String> seen = new java.util.HashSet<>(todo);
        while (!todo.isEmpty()) {
            ModuleDescriptor d = descriptors.get(todo.poll());
            if (d == null) {
                continue;
            }
            for (ModuleDescriptor.Requires r : d.requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC) && seen.add(r.name())) {
                    todo.add(r.name());
                    if (others.containsKey(r.name())) {
                        out.add(others.get(r.name()));
                    }
                }
            }
        }
        return out;
    }

    /** The module a class-path entry would be on the module path, or null if it cannot be one. */
    private static ModuleDescriptor describe(Path entry) {
        try {
            return ModuleFinder.of(entry).findAll().stream().findFirst().map(ModuleReference::descriptor).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Path compile(boolean modular, List<Path> library) throws Exception {
        Path src = Files.createDirectories(work.resolve(modular ? "src-module" : "src-classpath"));
        Path classes = Files.createDirectories(work.resolve(modular ? "classes-module" : "classes-classpath"));
        Path main = Files.createDirectories(src.resolve("com/example/consumer")).resolve("Main.java");
        Files.writeString(main, MAIN);
        List<Path> sources = new ArrayList<>(List.of(main));
        if (modular) {
            sources.add(Files.writeString(src.resolve("module-info.java"), MODULE_INFO));
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter problems = new StringWriter();
        List<String> args = new ArrayList<>(List.of(modular ? "--module-path" : "--class-path",
                library.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "-d", classes.toString(), "--release", "25"));
        sources.forEach(f -> args.add(f.toString()));
        int exit = javac.run(new PrintWriter(problems, true), new PrintWriter(problems, true), args.toArray(String[]::new));
        assertThat(exit).as("consumer compiles on the %s path: %s", modular ? "module" : "class", problems).isZero();
        return classes;
    }

    private List<String> run(List<String> command) throws Exception {
        Path out = work.resolve("out-" + System.nanoTime());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("consumer finished").isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(p.exitValue()).as("consumer exit; output %s", lines).isZero();
        return lines;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void aConsumerOnTheModulePathUsesThePublicApiAndFindsEveryProvider() throws Exception {
        List<Path> library = libraryPath();
        Path classes = compile(true, library);
        String modulePath = classes + File.pathSeparator + library.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        assertThat(run(List.of(java(), "--module-path", modulePath, "-m", "com.example.consumer/com.example.consumer.Main")))
                .containsSubsequence(EXPECTED);
    }

    @Test
    void aConsumerOnTheClassPathUsesThePublicApiAndFindsEveryProvider() throws Exception {
        List<Path> library = libraryPath();
        Path classes = compile(false, library);
        String classPath = classes + File.pathSeparator + library.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        assertThat(run(List.of(java(), "-cp", classPath, "com.example.consumer.Main"))).containsSubsequence(EXPECTED);
    }

    @Test
    void everyModuleIsNamedAndRequiresNoFileNameBasedAutomaticModule() {
        ModuleFinder finder = ModuleFinder.of(libraryPath().toArray(Path[]::new));
        Set<ModuleReference> found = finder.findAll();
        assertThat(found.stream().map(r -> r.descriptor().name())).contains("io.netboot4j.core", "io.netboot4j.boot",
                "io.netboot4j.dhcp", "io.netboot4j.tftp", "io.netboot4j.nfsroot", "io.netboot4j.kerrighed");
        for (ModuleReference r : found) {
            ModuleDescriptor d = r.descriptor();
            if (!d.name().startsWith("io.netboot4j.")) {
                // a third-party module we require: a real module, or an automatic one with a declared name
                boolean declared = !d.isAutomatic() || hasAutomaticModuleName(r);
                assertThat(declared).as("%s (%s) is named by its file name only", d.name(), r.location().orElse(null)).isTrue();
                continue;
            }
            assertThat(d.isAutomatic()).as(d.name()).isFalse();
        }
    }

    private static boolean hasAutomaticModuleName(ModuleReference r) {
        try (var reader = r.open(); var in = reader.open("META-INF/MANIFEST.MF").orElseThrow()) {
            return new java.util.jar.Manifest(in).getMainAttributes().getValue("Automatic-Module-Name") != null;
        } catch (Exception e) {
            return false;
        }
    }
}
