package io.netboot4j.boot.internal;

import io.netboot4j.boot.BootFile;
import io.netboot4j.core.UefiChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Debian's packages put the UEFI boot loaders of each {@link UefiChain}, and the names
 * they are served under (checked with {@code dpkg -L} on Debian 12).
 */
public final class DebianLoaders {

    /** iPXE for UEFI that drives the card through the firmware's own driver (package {@code ipxe}). */
    public static final Path IPXE_SNPONLY = Path.of("/usr/lib/ipxe/snponly.efi");
    /** iPXE for UEFI with its own card drivers (package {@code ipxe}). */
    public static final Path IPXE_EFI = Path.of("/usr/lib/ipxe/ipxe.efi");
    /** SYSLINUX for x86-64 UEFI (package {@code syslinux-efi}). */
    public static final Path SYSLINUX_EFI = Path.of("/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi");
    /** The module {@code syslinux.efi} loads first, from its own folder (package {@code syslinux-common}). */
    public static final Path LDLINUX_E64 = Path.of("/usr/lib/syslinux/modules/efi64/ldlinux.e64");
    /** GRUB's network image signed by Debian, prefix {@code /grub} built in (package {@code grub-efi-amd64-signed}). */
    public static final Path GRUB_NET_X64 = Path.of("/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed");
    /** shim signed by Microsoft's UEFI CA (package {@code shim-signed}). */
    public static final Path SHIM_X64 = Path.of("/usr/lib/shim/shimx64.efi.signed");
    /** shim's MokManager, which shim starts from its own folder to enrol a key (package {@code shim-helpers-amd64-signed}). */
    public static final Path MOK_MANAGER_X64 = Path.of("/usr/lib/shim/mmx64.efi.signed");
    /** GRUB's arm64 network image (package {@code grub-efi-arm64-signed}, architecture arm64). */
    public static final Path GRUB_NET_AA64 = Path.of("/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed");
    /** shim for arm64 (package {@code shim-signed}, architecture arm64). */
    public static final Path SHIM_AA64 = Path.of("/usr/lib/shim/shimaa64.efi.signed");

    /** The name shim loads its second stage by, from its own folder. */
    public static final String SHIM_SECOND_STAGE_X64 = "grubx64.efi";
    private static final String SHIM_SECOND_STAGE_AA64 = "grubaa64.efi";

    private DebianLoaders() {
    }

    /**
     * The x86-64 files of {@code chain}, the loader under {@code bootFile} and the files it
     * loads beside it, whether installed or not (a missing one is reported with its package).
     *
     * @param bootFile the name DHCP gives x86-64 clients of this chain
     * @param loader the loader's path, or {@code null} for Debian's
     */
    public static List<BootFile.OnDisk> x86(UefiChain chain, String bootFile, Path loader) {
        List<BootFile.OnDisk> out = new ArrayList<>();
        switch (chain) {
            case IPXE -> {
                out.add(loaderFile(bootFile, loader, IPXE_SNPONLY, "ipxe"));
                out.add(debian(sibling(bootFile, "ipxe.efi"), IPXE_EFI, "ipxe"));
            }
            case SYSLINUX -> {
                out.add(loaderFile(bootFile, loader, SYSLINUX_EFI, "syslinux-efi"));
                out.add(debian(sibling(bootFile, "ldlinux.e64"), LDLINUX_E64, "syslinux-common"));
            }
            case GRUB -> out.add(loaderFile(bootFile, loader, GRUB_NET_X64, "grub-efi-amd64-signed"));
            case SHIM_GRUB -> {
                out.add(loaderFile(bootFile, loader, SHIM_X64, "shim-signed"));
                out.add(debian(sibling(bootFile, SHIM_SECOND_STAGE_X64), GRUB_NET_X64, "grub-efi-amd64-signed"));
                out.add(debian(sibling(bootFile, "mmx64.efi"), MOK_MANAGER_X64, "shim-helpers-amd64-signed"));
            }
        }
        return out;
    }

    /**
     * The arm64 files of {@code chain} that are installed: a head node is rarely arm64 or
     * multi-arch, so these are served when present and otherwise left out (an arm64 client
     * then gets "file not found"). Debian's {@code ipxe} has no arm64 build and SYSLINUX none
     * at all: an arm64 iPXE is given with {@code PxeBootTree.Builder.file}.
     */
    public static List<BootFile.OnDisk> arm64(UefiChain chain) {
        List<BootFile.OnDisk> out = new ArrayList<>();
        switch (chain) {
            case GRUB -> out.add(debian(SHIM_SECOND_STAGE_AA64, GRUB_NET_AA64, "grub-efi-arm64-signed"));
            case SHIM_GRUB -> {
                out.add(debian(chain.arm64BootFile().orElseThrow(), SHIM_AA64, "shim-signed (arm64)"));
                out.add(debian(SHIM_SECOND_STAGE_AA64, GRUB_NET_AA64, "grub-efi-arm64-signed"));
            }
            case IPXE, SYSLINUX -> {
                // no Debian package for an amd64 head carries them
            }
        }
        return out.stream().filter(f -> Files.isReadable(f.path())).toList();
    }

    /** The name of {@code name} in the folder of {@code loader}: loaders look for their files beside themselves. */
    public static String sibling(String loader, String name) {
        int slash = loader.lastIndexOf('/');
        return slash < 0 ? name : loader.substring(0, slash + 1) + name;
    }

    private static BootFile.OnDisk loaderFile(String name, Path given, Path debian, String pkg) {
        return given != null ? new BootFile.OnDisk(name, given, "given path") : debian(name, debian, pkg);
    }

    private static BootFile.OnDisk debian(String name, Path path, String pkg) {
        return new BootFile.OnDisk(name, path, "Debian package " + pkg);
    }
}
