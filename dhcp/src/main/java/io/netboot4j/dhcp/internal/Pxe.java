package io.netboot4j.dhcp.internal;

import io.netboot4j.core.BootProfile;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.UefiChain;
import java.nio.charset.StandardCharsets;
import org.dhcp4java.DHCPPacket;

/**
 * What a request says about the client's boot firmware (RFC 4578, PXE 2.1, iPXE).
 *
 * @param pxeClient the vendor class (option 60) starts with {@code PXEClient}
 * @param architecture the client system architecture (option 93), or -1 if absent
 * @param guid the client machine identifier (option 97), or null
 * @param ipxe the client is iPXE: user class (option 77) {@code iPXE}, or iPXE's encapsulated options (175)
 */
public record Pxe(boolean pxeClient, int architecture, byte[] guid, boolean ipxe) {

    /** Option 93: BIOS (x86). */
    public static final int ARCH_BIOS = 0;
    /** Option 93: EFI byte code, used by x86-64 firmware (RFC 4578 errata; 7 in practice). */
    public static final int ARCH_EFI_BC = 7;
    /** Option 93: EFI x86-64. */
    public static final int ARCH_EFI_X86_64 = 9;
    /** Option 93: EFI arm64 (AArch64). */
    public static final int ARCH_EFI_ARM64 = 11;

    private static final byte[] PXE_CLIENT = "PXEClient".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IPXE = "iPXE".getBytes(StandardCharsets.US_ASCII);

    /** Reads the PXE options of {@code req}; malformed ones count as absent. */
    public static Pxe of(DHCPPacket req) {
        byte[] vendor = req.getOptionRaw(DhcpEngine.OPT_VENDOR_CLASS);
        boolean pxe = vendor != null && startsWith(vendor, PXE_CLIENT);
        byte[] arch = req.getOptionRaw(DhcpEngine.OPT_CLIENT_ARCH);
        int architecture = arch != null && arch.length >= 2 ? ((arch[0] & 0xFF) << 8) | (arch[1] & 0xFF) : -1;
        byte[] guid = req.getOptionRaw(DhcpEngine.OPT_CLIENT_GUID);
        byte[] user = req.getOptionRaw(DhcpEngine.OPT_USER_CLASS);
        boolean ipxe = req.containsOption(DhcpEngine.OPT_IPXE_ENCAP) || (user != null && contains(user, IPXE));
        return new Pxe(pxe, architecture, guid != null && guid.length > 0 ? guid : null, ipxe);
    }

    /**
     * The boot file for this client: iPXE gets {@link BootProfile#ipxeBootFile()} (so a UEFI
     * or PXE ROM can chainload iPXE and iPXE then gets its script); x86-64 UEFI (option 93 =
     * 7 or 9) and arm64 UEFI (11) the loader of the node's {@link UefiChain}
     * ({@link BootProfile#uefiBootFile(UefiChain, boolean)}); BIOS or a client that does not
     * say {@link BootProfile#biosBootFile()}; other architectures (32-bit EFI, ...) none.
     *
     * @param cluster gives the boot profile and the node's chain
     * @param node the client's node, or {@code null} for a client outside the node list (the profile's chain)
     * @return the file name, or {@code null} for none
     */
    public String bootFile(Cluster cluster, Node node) {
        BootProfile boot = cluster.boot();
        if (ipxe) {
            return boot.ipxeBootFile();
        }
        UefiChain chain = node == null ? boot.uefiChain() : cluster.uefiChain(node);
        return switch (architecture) {
            case -1, ARCH_BIOS -> boot.biosBootFile();
            case ARCH_EFI_BC, ARCH_EFI_X86_64 -> boot.uefiBootFile(chain, false).orElse(null);
            case ARCH_EFI_ARM64 -> boot.uefiBootFile(chain, true).orElse(null);
            default -> null;
        };
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] a, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= a.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (a[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
