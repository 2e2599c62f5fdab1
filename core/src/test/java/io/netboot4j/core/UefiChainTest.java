package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UefiChainTest {

    private static ClusterBuilder twoNodes() {
        return Cluster.builder("uefi")
                .network(n -> n.interfaceName("br0").subnet("10.1.0.0/24").server("10.1.0.1"))
                .node("a", "52:54:00:00:00:0a", "10.1.0.10")
                .node("b", "52:54:00:00:00:0b", "10.1.0.11")
                .rootFilesystem(r -> r.path("/srv/root"));
    }

    @Test
    void namesParseAndPrintAsTheClusterDescriptionWritesThem() {
        assertThat(UefiChain.parse("ipxe")).isEqualTo(UefiChain.IPXE);
        assertThat(UefiChain.parse(" Shim+GRUB ")).isEqualTo(UefiChain.SHIM_GRUB);
        assertThat(UefiChain.SHIM_GRUB).hasToString("shim+grub");
        assertThatThrownBy(() -> UefiChain.parse("refind"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("UEFI chain 'refind' is unknown; known: ipxe, syslinux, grub, shim+grub");
        assertThat(UefiChain.SYSLINUX.arm64BootFile()).isEmpty();
        assertThat(UefiChain.GRUB.arm64BootFile()).contains("grubaa64.efi");
    }

    @Test
    void theDefaultChainIsIpxeAndItsLoaderIsTheUefiBootFile() {
        Cluster c = twoNodes().boot(b -> b.kernel(Path.of("/k/vmlinuz"))).build();
        assertThat(c.boot().uefiChain()).isEqualTo(UefiChain.IPXE);
        assertThat(c.boot().uefiBootFile()).isEqualTo("snponly.efi");
        assertThat(c.uefiChains()).containsExactly(UefiChain.IPXE);
    }

    @Test
    void aNodeMayRunItsOwnChainAndTheBootFileFollowsTheChainAndArchitecture() {
        Cluster c = twoNodes().boot(b -> b.kernel(Path.of("/k/vmlinuz")).uefiChain("syslinux"))
                .uefiChain("b", UefiChain.SHIM_GRUB)
                .build();
        Node a = c.nodeByName("a").orElseThrow();
        Node b = c.nodeByName("b").orElseThrow();
        assertThat(c.uefiChain(a)).isEqualTo(UefiChain.SYSLINUX);
        assertThat(c.uefiChain(b)).isEqualTo(UefiChain.SHIM_GRUB);
        assertThat(b.uefiChain()).contains(UefiChain.SHIM_GRUB);
        assertThat(c.uefiChains()).containsExactly(UefiChain.SYSLINUX, UefiChain.SHIM_GRUB);
        assertThat(c.boot().uefiBootFile(c.uefiChain(a), false)).contains("syslinux.efi");
        assertThat(c.boot().uefiBootFile(c.uefiChain(a), true)).isEmpty();
        assertThat(c.boot().uefiBootFile(c.uefiChain(b), false)).contains("shimx64.efi");
        assertThat(c.boot().uefiBootFile(c.uefiChain(b), true)).contains("shimaa64.efi");
        // toBuilder keeps both choices
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void aGivenUefiBootFileNamesTheClustersOwnChainOnly() {
        Cluster c = twoNodes().boot(b -> b.kernel(Path.of("/k/vmlinuz")).uefiChain(UefiChain.GRUB).uefiBootFile("efi/mygrub.efi"))
                .uefiChain("a", UefiChain.IPXE)
                .build();
        assertThat(c.boot().uefiBootFile(UefiChain.GRUB, false)).isEqualTo(Optional.of("efi/mygrub.efi"));
        assertThat(c.boot().uefiBootFile(UefiChain.IPXE, false)).isEqualTo(Optional.of("snponly.efi"));
        assertThat(c.toBuilder().build().boot().uefiBootFile()).isEqualTo("efi/mygrub.efi");
    }

    @Test
    void aChainForANodeThatIsNotThereIsRefusedAtOnce() {
        assertThatThrownBy(() -> twoNodes().uefiChain("c", UefiChain.GRUB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no node 'c' to give UEFI chain grub; add the node first");
        assertThatThrownBy(() -> twoNodes().boot(b -> b.uefiChain("lilo")))
                .hasMessageContaining("UEFI chain 'lilo' is unknown");
        assertThatThrownBy(() -> twoNodes().uefiChain("a", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("UEFI chain of node 'a' must not be null");
        assertThatThrownBy(() -> twoNodes().boot(b -> b.uefiChain((UefiChain) null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("UEFI chain must not be null");
    }
}
