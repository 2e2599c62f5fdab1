package io.netboot4j.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.boot.internal.DebianLoaders;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.UefiChain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The UEFI part of the boot tree: each chain's loaders, GRUB's and syslinux.efi's files, against golden files. */
class UefiBootTreeTest {

    private static String golden(String name) throws IOException {
        try (InputStream in = UefiBootTreeTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Cluster guide(UefiChain chain) {
        return PxeConfigTest.guide(true).toBuilder().boot(b -> b.uefiChain(chain)).build();
    }

    @Test
    void grubFilesAreTheGoldenOnes() throws IOException {
        Cluster c = guide(UefiChain.SHIM_GRUB);
        Node first = c.nodes().getFirst();
        assertThat(GrubConfig.nodeFileName(first)).isEqualTo("grub/grub.cfg-01-02-2d-61-c7-17-86");
        assertThat(GrubConfig.node(c, first)).isEqualTo(golden("grub.cfg-01-02-2d-61-c7-17-86"));
        assertThat(GrubConfig.main(c)).isEqualTo(golden("grub.cfg"));
        PxeBootTree tree = PxeBootTree.of(c);
        assertThat(tree.text("grub/grub.cfg")).isEqualTo(golden("grub.cfg"));
        assertThat(tree.text("grub/grub.cfg-01-02-2d-61-c7-17-86")).isEqualTo(golden("grub.cfg-01-02-2d-61-c7-17-86"));
        // GRUB's own search (grub-mknetdir images) tries the address in upper-case hex after the MAC
        assertThat(GrubConfig.nodeAddressFileName(first)).isEqualTo("grub/grub.cfg-C0A80165");
        assertThat(tree.text("grub/grub.cfg-C0A80165")).isEqualTo(golden("grub.cfg-01-02-2d-61-c7-17-86"));
    }

    @Test
    void syslinuxEfiReadsTheSamePxelinuxFilesBesideItself() throws IOException {
        Cluster c = PxeConfigTest.guide(true).toBuilder().boot(b -> b.uefiChain(UefiChain.SYSLINUX).uefiBootFile("efi64/syslinux.efi"))
                .build();
        PxeBootTree tree = PxeBootTree.of(c);
        assertThat(tree.file("efi64/syslinux.efi")).contains(
                new BootFile.OnDisk("efi64/syslinux.efi", DebianLoaders.SYSLINUX_EFI, "Debian package syslinux-efi"));
        assertThat(tree.file("efi64/ldlinux.e64")).contains(
                new BootFile.OnDisk("efi64/ldlinux.e64", DebianLoaders.LDLINUX_E64, "Debian package syslinux-common"));
        assertThat(tree.text("efi64/pxelinux.cfg/01-02-2d-61-c7-17-86")).isEqualTo(golden("syslinux.efi-pxelinux.cfg-01-02-2d-61-c7-17-86"))
                .isEqualTo(tree.text("pxelinux.cfg/01-02-2d-61-c7-17-86"));
        assertThat(tree.file("efi64/pxelinux.cfg/default")).isPresent();
        assertThat(tree.file("grub/grub.cfg")).isEmpty();
    }

    @Test
    void eachChainBringsItsLoadersFromTheirDebianPackages() {
        assertThat(PxeBootTree.of(guide(UefiChain.IPXE)).files()).filteredOn(f -> f.name().endsWith(".efi")).containsExactly(
                new BootFile.OnDisk("snponly.efi", DebianLoaders.IPXE_SNPONLY, "Debian package ipxe"),
                new BootFile.OnDisk("ipxe.efi", DebianLoaders.IPXE_EFI, "Debian package ipxe"));
        assertThat(PxeBootTree.of(guide(UefiChain.GRUB)).files()).filteredOn(f -> f.name().endsWith(".efi")).containsExactly(
                new BootFile.OnDisk("grubx64.efi", DebianLoaders.GRUB_NET_X64, "Debian package grub-efi-amd64-signed"));
        assertThat(PxeBootTree.of(guide(UefiChain.SHIM_GRUB)).files()).filteredOn(f -> f.name().endsWith(".efi")).containsExactly(
                new BootFile.OnDisk("shimx64.efi", DebianLoaders.SHIM_X64, "Debian package shim-signed"),
                new BootFile.OnDisk("grubx64.efi", DebianLoaders.GRUB_NET_X64, "Debian package grub-efi-amd64-signed"),
                new BootFile.OnDisk("mmx64.efi", DebianLoaders.MOK_MANAGER_X64, "Debian package shim-helpers-amd64-signed"));
        assertThat(PxeBootTree.of(guide(UefiChain.IPXE)).file("grub/grub.cfg")).isEmpty();
    }

    @Test
    void nodesWithTheirOwnChainsAddTheirLoadersAndConfigurations() {
        Cluster c = PxeConfigTest.guide(true).toBuilder()
                .uefiChain("kerrighednode2", UefiChain.SYSLINUX)
                .uefiChain("kerrighednode3", UefiChain.SHIM_GRUB)
                .build();
        PxeBootTree tree = PxeBootTree.of(c);
        assertThat(tree.files()).extracting(BootFile::name).startsWith("pxelinux.0", "ldlinux.c32", "snponly.efi", "ipxe.efi",
                "syslinux.efi", "ldlinux.e64", "shimx64.efi", "grubx64.efi", "mmx64.efi", "vmlinuz-2.6.20");
        assertThat(tree.files()).extracting(BootFile::name).contains("grub/grub.cfg", "grub/grub.cfg-01-02-2d-61-c7-17-88", "boot.ipxe");
    }

    @Test
    void aGivenLoaderReplacesDebiansAndIsNamedWhenMissing() {
        PxeBootTree tree = PxeBootTree.builder(guide(UefiChain.GRUB)).uefiLoader(Path.of("/nonexistent/mygrub.efi")).build();
        assertThat(tree.file("grubx64.efi")).contains(new BootFile.OnDisk("grubx64.efi", Path.of("/nonexistent/mygrub.efi"), "given path"));
        assertThat(tree.missing()).contains("grubx64.efi (/nonexistent/mygrub.efi, given path)");
    }

    @Test
    void argumentsGrubsShellWouldReadAreQuoted() {
        assertThat(GrubConfig.word("root=/dev/nfs")).isEqualTo("root=/dev/nfs");
        assertThat(GrubConfig.word("nfsroot=10.0.0.1:/srv/r,vers=3,tcp")).isEqualTo("nfsroot=10.0.0.1:/srv/r,vers=3,tcp");
        assertThat(GrubConfig.word("x=$prefix;y")).isEqualTo("'x=$prefix;y'");
        assertThat(GrubConfig.word("it's")).isEqualTo("'it'\\''s'");
    }
}
