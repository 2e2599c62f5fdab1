package io.netboot4j.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The chain of boot loaders a UEFI node runs after its firmware's own PXE: what DHCP names
 * for a client whose option 93 says x86-64 UEFI (7, 9) or arm64 UEFI (11), and which loaders
 * and configuration files the boot tree holds. Chosen per cluster
 * ({@link ClusterBuilder.BootBuilder#uefiChain(UefiChain)}, default {@link #IPXE}) and per node
 * ({@link ClusterBuilder#uefiChain(String, UefiChain)}).
 */
public enum UefiChain {

    /**
     * iPXE's {@code snponly.efi} (it drives the card through the firmware's own network
     * driver), which then fetches the iPXE script: the default, as in Warewulf.
     */
    IPXE("ipxe", "snponly.efi", "arm64/snponly.efi"),
    /** SYSLINUX's {@code syslinux.efi}, reading the same {@code pxelinux.cfg/} files as pxelinux; x86-64 only. */
    SYSLINUX("syslinux", "syslinux.efi", null),
    /** GRUB's network image, reading {@code grub/grub.cfg}. */
    GRUB("grub", "grubx64.efi", "grubaa64.efi"),
    /**
     * Secure Boot: shim (signed by Microsoft's UEFI CA) loads GRUB (signed by the
     * distribution) from beside itself, and GRUB has shim check the kernel's signature.
     */
    SHIM_GRUB("shim+grub", "shimx64.efi", "shimaa64.efi");

    private final String text;
    private final String x86BootFile;
    private final String arm64BootFile;

    UefiChain(String text, String x86BootFile, String arm64BootFile) {
        this.text = text;
        this.x86BootFile = x86BootFile;
        this.arm64BootFile = arm64BootFile;
    }

    /**
     * The chain named {@code text}: {@code ipxe}, {@code syslinux}, {@code grub} or
     * {@code shim+grub} (case does not matter).
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    public static UefiChain parse(String text) {
        return Arrays.stream(values()).filter(c -> c.text.equals(String.valueOf(text).strip().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("UEFI chain '" + text + "' is unknown; known: "
                        + String.join(", ", Arrays.stream(values()).map(UefiChain::toString).toList())));
    }

    /** The file DHCP names for x86-64 UEFI clients (option 93 = 7 or 9), for example {@code snponly.efi}. */
    public String x86BootFile() {
        return x86BootFile;
    }

    /** The file DHCP names for arm64 UEFI clients (option 93 = 11); empty for {@link #SYSLINUX}, which has no arm64 build. */
    public Optional<String> arm64BootFile() {
        return Optional.ofNullable(arm64BootFile);
    }

    /** The chain's name as {@link #parse(String)} reads it, for example {@code shim+grub}. */
    @Override
    public String toString() {
        return text;
    }
}
