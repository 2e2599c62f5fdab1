package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface of nfsroot: exactly these packages; the NFS server and root-build steps stay internal. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyThePublicApi() throws Exception {
        ModuleDescriptor d;
        Path classes = Path.of(EmbeddedNfsProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("io.netboot4j.nfsroot");
        assertThat(d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("io.netboot4j.nfsroot", "io.netboot4j.nfsroot.rootfs");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name))
                .allMatch(n -> n.startsWith("io.netboot4j.") || n.startsWith("java.") || n.startsWith("jdk.") || n.equals("org.slf4j"));
    }
}
