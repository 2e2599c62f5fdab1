package io.netboot4j.dhcp.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.UefiChain;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.dhcp4java.DHCPPacket;

/**
 * UEFI HTTP Boot (UEFI specification 2.x, section "HTTP Boot"; RFC 4578 architecture types of
 * IANA's registry): a client whose vendor class (option 60) starts with {@code HTTPClient}
 * gets {@code HTTPClient} back and a URL as its boot file, which its firmware downloads over
 * HTTP. The URL names the UEFI loader of the node's chain on the embedded HTTP server
 * ({@code ServicePorts.http()}); the firmware accepts the offer only with option 60 set.
 */
public final class HttpBoot {

    /** Option 93: x64 UEFI HTTP Boot. */
    public static final int ARCH_X64_HTTP = 16;
    /** Option 93: arm64 UEFI HTTP Boot. */
    public static final int ARCH_ARM64_HTTP = 19;

    /** Option 60 of the reply. */
    static final byte[] HTTP_CLIENT = "HTTPClient".getBytes(StandardCharsets.US_ASCII);

    private HttpBoot() {
    }

    /** Whether {@code req} comes from UEFI HTTP Boot firmware (option 60 starts with {@code HTTPClient}). */
    public static boolean requested(DHCPPacket req) {
        byte[] vendor = req.getOptionRaw(DhcpEngine.OPT_VENDOR_CLASS);
        return vendor != null && vendor.length >= HTTP_CLIENT.length
                && Arrays.equals(vendor, 0, HTTP_CLIENT.length, HTTP_CLIENT, 0, HTTP_CLIENT.length);
    }

    /**
     * The boot-file URL for an HTTP Boot client of architecture {@code arch}: the loader of the
     * node's UEFI chain, for example {@code http://192.168.1.1/snponly.efi}; empty for other
     * architectures (32-bit x86) or a chain without a loader for it.
     *
     * @param node the client's node, or {@code null} (the profile's chain)
     */
    public static Optional<String> url(Cluster cluster, Node node, int arch) {
        UefiChain chain = node == null ? cluster.boot().uefiChain() : cluster.uefiChain(node);
        Optional<String> loader = switch (arch) {
            case ARCH_X64_HTTP -> cluster.boot().uefiBootFile(chain, false);
            case ARCH_ARM64_HTTP -> cluster.boot().uefiBootFile(chain, true);
            default -> Optional.empty();
        };
        return loader.map(name -> cluster.ports().httpBase(cluster.network().server()) + name);
    }
}
