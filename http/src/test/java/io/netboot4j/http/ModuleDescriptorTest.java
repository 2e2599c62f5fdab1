package io.netboot4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of http: one package, depending on core and boot. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicApi() throws Exception {
        Path classes = Path.of(HttpBootServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.http");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.netboot4j.http");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).filter(n -> n.startsWith("io.netboot4j")))
                .containsExactlyInAnyOrder("io.netboot4j.core", "io.netboot4j.boot");
        assertThat(d.provides()).isEmpty();
    }
}
