package io.netboot4j.dhcp.internal;

import io.netboot4j.core.MacAddress;

/**
 * The two Neighbor Discovery messages of the Router Advertisement responder (RFC 4861
 * sections 4.1, 4.2, 6.1.1), as pure functions of bytes: reading a Router Solicitation and
 * writing the one Router Advertisement the responder sends. The ICMPv6 checksum is left
 * zero: the kernel fills it in (and checks it on receipt) for raw ICMPv6 sockets.
 */
public final class RouterAdvertisements {

    /** ICMPv6 type of a Router Solicitation. */
    public static final int ROUTER_SOLICITATION = 133;
    /** ICMPv6 type of a Router Advertisement. */
    public static final int ROUTER_ADVERTISEMENT = 134;
    /** Option type: source link-layer address. */
    static final int OPT_SOURCE_LINK_LAYER = 1;
    /** Length of the advertisement: 16-byte header and one 8-byte source link-layer address option. */
    static final int ADVERTISEMENT_LENGTH = 24;

    private RouterAdvertisements() {
    }

    /**
     * Whether {@code message} (an ICMPv6 message from its type byte) is a valid Router
     * Solicitation as RFC 4861 section 6.1.1 asks of what the receiver can see: type 133,
     * code 0, at least 8 bytes, every option of non-zero length and inside the message, and
     * no source link-layer address option when the source is unspecified. (The hop limit of
     * 255 is not visible through a plain {@code recvfrom}; the checksum is the kernel's.)
     *
     * @param message the bytes
     * @param length how many of them are the message
     * @param unspecifiedSource whether the solicitation came from {@code ::}
     */
    public static boolean isValidSolicitation(byte[] message, int length, boolean unspecifiedSource) {
        if (length < 8 || length > message.length || (message[0] & 0xFF) != ROUTER_SOLICITATION || message[1] != 0) {
            return false;
        }
        int at = 8;
        while (at < length) {
            if (at + 2 > length) {
                return false;
            }
            int type = message[at] & 0xFF;
            int units = message[at + 1] & 0xFF;
            if (units == 0 || at + units * 8 > length) {
                return false;
            }
            if (type == OPT_SOURCE_LINK_LAYER && unspecifiedSource) {
                return false;
            }
            at += units * 8;
        }
        return true;
    }

    /**
     * The Router Advertisement the responder sends: current hop limit unspecified (0), no
     * managed (M) or other-configuration (O) flag, <b>router lifetime 0</b> ("not a default
     * router", section 4.2), reachable time and retransmission timer unspecified, no prefix
     * information, and the router's link-layer address (section 4.6.1) when it is known.
     *
     * @param routerMac the sending interface's hardware address, or {@code null} to leave the option out
     */
    public static byte[] advertisement(MacAddress routerMac) {
        byte[] m = new byte[routerMac == null ? 16 : ADVERTISEMENT_LENGTH];
        m[0] = (byte) ROUTER_ADVERTISEMENT;
        // code, checksum, hop limit, flags, router lifetime, reachable time, retrans timer: all 0
        if (routerMac != null) {
            m[16] = OPT_SOURCE_LINK_LAYER;
            m[17] = 1;
            System.arraycopy(routerMac.toBytes(), 0, m, 18, 6);
        }
        return m;
    }
}
