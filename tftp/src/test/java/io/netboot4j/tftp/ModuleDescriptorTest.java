package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of tftp: one package; both boot-file providers declared both ways. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicApiAndProvidesTheBootFileServices() throws Exception {
        Path classes = Path.of(TftpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.tftp");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.netboot4j.tftp");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name)).contains("io.netboot4j.core", "io.netboot4j.boot", "io.netboot4j.http")
                .doesNotContain("org.apache.commons.net"); // the TFTP codec is netboot4j's own (bench/results/tftp-decode.md)
        List<String> providers = List.of("io.netboot4j.tftp.EmbeddedTftpProvider", "io.netboot4j.tftp.TftpdHpaProvider");
        assertThat(d.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("io.netboot4j.core.spi.BootFileServiceProvider");
            assertThat(p.providers()).containsExactlyElementsOf(providers);
        });
        assertThat(Files.readAllLines(classes.resolve("META-INF/services/io.netboot4j.core.spi.BootFileServiceProvider")))
                .containsExactlyElementsOf(providers);
    }
}
