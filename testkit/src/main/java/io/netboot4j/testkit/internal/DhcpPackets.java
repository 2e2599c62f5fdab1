package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/** The BOOTP header both simulated clients fill the same way. */
final class DhcpPackets {

    static final byte OPT_VENDOR_CLASS = 60;
    static final byte OPT_USER_CLASS = 77;
    static final byte OPT_CLIENT_ARCH = 93;
    static final byte OPT_CLIENT_NDI = 94;
    static final byte OPT_IPXE_ENCAP = (byte) 175;

    private DhcpPackets() {
    }

    /** A BOOTREQUEST from {@code mac}, broadcast flag set, no address yet. */
    static DHCPPacket request(MacAddress mac, int xid, int secs, byte type) {
        DHCPPacket p = new DHCPPacket();
        p.setOp(DHCPConstants.BOOTREQUEST);
        p.setHtype(DHCPConstants.HTYPE_ETHER);
        p.setHlen((byte) 6);
        p.setXid(xid);
        p.setSecs((short) secs);
        p.setFlags((short) 0x8000);
        p.setChaddr(mac.toBytes());
        p.setDHCPMessageType(type);
        return p;
    }

    /** The ASCII bytes of {@code s}. */
    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The hexadecimal bytes as an array; spaces and colons are ignored. */
    static byte[] hex(String text) {
        String s = text.replaceAll("[\\s:]", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
