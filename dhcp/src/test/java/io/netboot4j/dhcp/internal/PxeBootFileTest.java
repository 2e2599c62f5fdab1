package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.UefiChain;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Option 93 (and iPXE's user class) to the boot file, for every chain, per cluster and per node. */
class PxeBootFileTest {

    private static Cluster cluster(UefiChain clusterChain, UefiChain nodeChain) {
        return Cluster.builder("arch")
                .network(n -> n.interfaceName("br0").subnet("10.1.0.0/24").server("10.1.0.1"))
                .node("same", "52:54:00:00:00:0a", "10.1.0.10")
                .node("own", "52:54:00:00:00:0b", "10.1.0.11")
                .uefiChain("own", nodeChain)
                .boot(b -> b.kernel(Path.of("/k/vmlinuz")).uefiChain(clusterChain))
                .rootFilesystem(r -> r.path("/srv/root"))
                .build();
    }

    @ParameterizedTest(name = "cluster {0}, node {1}: arch {2} -> {3} / {4}")
    @CsvSource(nullValues = "none", value = {
        // cluster chain, the other node's chain, option 93, file of node 'same', file of node 'own'
        "ipxe,      syslinux,  0,  pxelinux.0,        pxelinux.0",
        "ipxe,      syslinux,  7,  snponly.efi,       syslinux.efi",
        "ipxe,      syslinux,  9,  snponly.efi,       syslinux.efi",
        "ipxe,      syslinux,  11, arm64/snponly.efi, none",
        "syslinux,  grub,      7,  syslinux.efi,      grubx64.efi",
        "grub,      shim+grub, 9,  grubx64.efi,       shimx64.efi",
        "grub,      shim+grub, 11, grubaa64.efi,      shimaa64.efi",
        "shim+grub, ipxe,      7,  shimx64.efi,       snponly.efi",
        "shim+grub, ipxe,      6,  none,              none",
        "shim+grub, ipxe,      -1, pxelinux.0,        pxelinux.0",
    })
    void eachArchitectureGetsTheLoaderOfItsNodesChain(String clusterChain, String nodeChain, int arch, String same, String own) {
        Cluster c = cluster(UefiChain.parse(clusterChain), UefiChain.parse(nodeChain));
        Pxe pxe = new Pxe(true, arch, null, false);
        assertThat(pxe.bootFile(c, node(c, "same"))).isEqualTo(same);
        assertThat(pxe.bootFile(c, node(c, "own"))).isEqualTo(own);
        assertThat(pxe.bootFile(c, null)).as("a client outside the node list gets the cluster's chain").isEqualTo(same);
    }

    @ParameterizedTest
    @CsvSource({"0", "7", "9", "11"})
    void iPxeGetsItsScriptWhateverItsArchitecture(int arch) {
        Cluster c = cluster(UefiChain.SHIM_GRUB, UefiChain.SYSLINUX);
        assertThat(new Pxe(true, arch, null, true).bootFile(c, node(c, "own"))).isEqualTo("boot.ipxe");
    }

    private static Node node(Cluster c, String name) {
        return c.nodeByName(name).orElseThrow();
    }
}
