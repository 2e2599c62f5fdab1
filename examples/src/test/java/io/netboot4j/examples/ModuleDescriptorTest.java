package io.netboot4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The examples export their one package of programs and need every other netboot4j module. */
class ModuleDescriptorTest {

    @Test
    void exportsTheProgramsAndRequiresTheWholeStack() throws Exception {
        Path classes = Path.of(VirtualClusterDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.examples");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.netboot4j.examples");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .contains("io.netboot4j.core", "io.netboot4j.boot", "io.netboot4j.dhcp", "io.netboot4j.tftp", "io.netboot4j.nfsroot",
                        "io.netboot4j.kerrighed", "io.netboot4j.testkit");
    }
}
