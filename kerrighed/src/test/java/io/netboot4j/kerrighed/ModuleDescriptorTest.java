package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of kerrighed: one package; the providers are declared both ways. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicApiAndProvidesTheKernelBuilds() throws Exception {
        Path classes = Path.of(Kerrighed.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.kerrighed");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.netboot4j.kerrighed");
        List<String> providers = List.of("io.netboot4j.kerrighed.internal.PrebuiltProvider",
                "io.netboot4j.kerrighed.internal.Kerrighed24Provider", "io.netboot4j.kerrighed.internal.KbuildProvider");
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("io.netboot4j.core.spi.KernelBuildProvider");
            assertThat(p.providers()).containsExactlyElementsOf(providers);
        });
        assertThat(Files.readAllLines(classes.resolve("META-INF/services/io.netboot4j.core.spi.KernelBuildProvider")))
                .containsExactlyElementsOf(providers);
    }
}
