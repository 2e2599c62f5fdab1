package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of the testkit: one package, and the init script inside it. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyItsOnePackage() throws Exception {
        Path classes = Path.of(VirtualNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.testkit");
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.netboot4j.testkit");
        assertThat(classes.resolve("io/netboot4j/testkit/busybox-init.sh")).exists();
    }
}
