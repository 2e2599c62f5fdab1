package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KernelConfigFragmentTest {

    /** Debian's own kernel configuration, from the linux-image-amd64 package. */
    static Path debianConfig() throws Exception {
        Path config;
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            config = s.filter(p -> p.getFileName().toString().startsWith("config-")).sorted().findFirst().orElse(null);
        }
        assumeTrue(config != null, "needs /boot/config-* from Debian package linux-image-amd64");
        return config;
    }

    @Test
    void debiansKernelHasNfsAsAModuleAndIsFlagged() throws Exception {
        KernelConfig debian = KernelConfig.read(debianConfig());
        List<KernelConfigFragment.Mismatch> bad = KernelConfigFragment.nfsRoot().check(debian);
        // Debian builds the NFS client, configfs and these drivers as modules, and has no
        // kernel-level IP auto-configuration: a diskless boot needs its initrd.
        assertThat(bad).extracting(KernelConfigFragment.Mismatch::symbol).contains("NFS_FS", "NFS_V3", "ROOT_NFS", "IP_PNP",
                "IP_PNP_DHCP", "CONFIGFS_FS", "E1000", "8139CP", "8139TOO", "VIRTIO_NET", "VIRTIO_PCI");
        assertThat(bad).extracting(KernelConfigFragment.Mismatch::symbol).doesNotContain("NETDEVICES", "ETHERNET", "NET_VENDOR_INTEL");
        assertThat(bad).filteredOn(m -> m.symbol().equals("NFS_FS")).singleElement()
                .satisfies(m -> {
                    assertThat(m.isModule()).isTrue();
                    assertThat(m).hasToString("CONFIG_NFS_FS=m, must be =y (built in, not a module)");
                });
        assertThat(bad).filteredOn(m -> m.symbol().equals("IP_PNP")).singleElement()
                .hasToString("CONFIG_IP_PNP is not set, must be =y (built in, not a module)");
        assertThat(bad).filteredOn(m -> m.symbol().equals("ROOT_NFS")).singleElement()
                .hasToString("CONFIG_ROOT_NFS is unset, must be =y (built in, not a module)");
        // Every one flagged really is =m or unset in Debian's file.
        for (KernelConfigFragment.Mismatch m : bad) {
            assertThat(debian.value(m.symbol()).orElse("unset")).isIn("m", "n", "unset");
        }
        // The fragment applied to Debian's file satisfies itself (before dependency resolution).
        String text = Files.readString(debianConfig(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(KernelConfigFragment.nfsRoot().check(KernelConfig.parse(KernelConfigFragment.nfsRoot().applyTo(text)))).isEmpty();
    }

    @Test
    void parsesValuesAndNotSet() {
        KernelConfig c = KernelConfig.parse("""
                #
                # Automatically generated file; DO NOT EDIT.
                CONFIG_NFS_FS=m
                # CONFIG_IP_PNP is not set
                CONFIG_CMDLINE="console=ttyS0 quiet"
                CONFIG_NR_CPUS=64
                """);
        assertThat(c.values()).containsExactly(Map.entry("NFS_FS", "m"), Map.entry("IP_PNP", "n"),
                Map.entry("CMDLINE", "\"console=ttyS0 quiet\""), Map.entry("NR_CPUS", "64"));
        assertThat(c.value("ROOT_NFS")).isEmpty();
    }

    @Test
    void appliesInPlaceAndAppends() {
        String config = """
                CONFIG_E1000=m
                # CONFIG_IP_PNP is not set
                CONFIG_OTHER=y
                """;
        KernelConfigFragment f = KernelConfigFragment.builtIn("E1000", "IP_PNP", "ROOT_NFS").with("CMDLINE", "\"a b\"")
                .with("OTHER", "n");
        assertThat(f.applyTo(config)).isEqualTo("""
                CONFIG_E1000=y
                CONFIG_IP_PNP=y
                # CONFIG_OTHER is not set
                CONFIG_ROOT_NFS=y
                CONFIG_CMDLINE="a b"
                """);
        assertThat(f.applyTo(f.applyTo(config))).isEqualTo(f.applyTo(config));
    }

    @Test
    void scriptsConfigArguments() {
        KernelConfigFragment f = KernelConfigFragment.builtIn("NFS_FS").with("FOO", "m").with("BAR", "n")
                .with("NR_CPUS", "8").with("CMDLINE", "\"console=ttyS0 x=\\\"y\\\"\"");
        assertThat(f.scriptsConfigArguments()).containsExactly("--enable", "NFS_FS", "--module", "FOO", "--disable", "BAR",
                "--set-val", "NR_CPUS", "8", "--set-str", "CMDLINE", "console=ttyS0 x=\"y\"");
    }

    @Test
    void guideFragmentUsesThe2620Names() {
        assertThat(KernelConfigFragment.kerrighedGuide().settings().keySet()).containsExactly("E1000", "8139CP", "8139TOO",
                "NFS_FS", "NFS_V3", "ROOT_NFS", "IP_PNP", "IP_PNP_DHCP", "CONFIGFS_FS");
        assertThat(KernelConfigFragment.kerrighedGuide().settings().values()).containsOnly("y");
        assertThat(KernelConfigFragment.nfsRoot().settings().keySet()).contains("VIRTIO_NET", "NFS_FS", "ROOT_NFS", "IP_PNP_DHCP",
                "CONFIGFS_FS");
    }

    @Test
    void malformedSettingsAreRefused() {
        assertThatThrownBy(() -> KernelConfigFragment.builtIn("NFS FS")).hasMessage("kernel config symbol 'NFS FS' is not a symbol name");
        assertThatThrownBy(() -> KernelConfigFragment.builtIn("A").with("B", "yes"))
                .hasMessage("kernel config value 'yes' of B must be y, m, n, a number or a double-quoted string");
        assertThat(KernelConfigFragment.builtIn("CONFIG_NFS_FS").settings()).containsOnlyKeys("NFS_FS");
    }
}
