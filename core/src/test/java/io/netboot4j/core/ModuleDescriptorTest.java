package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of core: exactly these packages, internals only to our own modules. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicApi() throws Exception {
        ModuleDescriptor d;
        java.nio.file.Path classes = java.nio.file.Path.of(Cluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.core");
        assertThat(d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("io.netboot4j.core", "io.netboot4j.core.net", "io.netboot4j.core.spi");
        assertThat(d.exports().stream().filter(ModuleDescriptor.Exports::isQualified).flatMap(e -> e.targets().stream())
                .allMatch(t -> t.startsWith("io.netboot4j."))).isTrue();
        assertThat(d.uses()).containsExactlyInAnyOrder(
                "io.netboot4j.core.spi.AddressAllocationProvider", "io.netboot4j.core.spi.BootFileServiceProvider",
                "io.netboot4j.core.spi.RootExportProvider", "io.netboot4j.core.spi.KernelBuildProvider",
                "io.netboot4j.core.spi.RootBuildProvider");
    }
}
