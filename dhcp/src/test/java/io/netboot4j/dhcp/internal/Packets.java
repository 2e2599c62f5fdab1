package io.netboot4j.dhcp.internal;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import java.nio.charset.StandardCharsets;
import org.dhcp4java.DHCPPacket;

/** Builds client requests for the engine tests. */
final class Packets {

    private Packets() {
    }

    static DHCPPacket request(byte type, String mac) {
        DHCPPacket p = new DHCPPacket();
        p.setOp((byte) 1);
        p.setHtype((byte) 1);
        p.setHlen((byte) 6);
        p.setXid(0x12345678);
        p.setChaddr(MacAddress.parse(mac).toBytes());
        p.setDHCPMessageType(type);
        return p;
    }

    static DHCPPacket discover(String mac) {
        return request(DhcpEngine.DISCOVER, mac);
    }

    static DHCPPacket selecting(String mac, String address, String server) {
        DHCPPacket p = request(DhcpEngine.REQUEST, mac);
        p.setOptionAsInetAddress(DhcpEngine.OPT_REQUESTED_ADDRESS, Ipv4.parse(address));
        p.setOptionAsInetAddress(DhcpEngine.OPT_SERVER_ID, Ipv4.parse(server));
        return p;
    }

    static DHCPPacket initReboot(String mac, String address) {
        DHCPPacket p = request(DhcpEngine.REQUEST, mac);
        p.setOptionAsInetAddress(DhcpEngine.OPT_REQUESTED_ADDRESS, Ipv4.parse(address));
        return p;
    }

    static DHCPPacket renewing(String mac, String ciaddr) {
        DHCPPacket p = request(DhcpEngine.REQUEST, mac);
        p.setCiaddr(Ipv4.parse(ciaddr));
        return p;
    }

    static DHCPPacket pxe(DHCPPacket p, int arch) {
        p.setOptionRaw(DhcpEngine.OPT_VENDOR_CLASS, "PXEClient:Arch:00000:UNDI:002001".getBytes(StandardCharsets.US_ASCII));
        p.setOptionRaw(DhcpEngine.OPT_CLIENT_ARCH, new byte[] {(byte) (arch >> 8), (byte) arch});
        p.setOptionRaw(DhcpEngine.OPT_CLIENT_GUID, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        return p;
    }

    static byte[] bytes(DHCPPacket p) {
        return p.serialize(300, 576); // RFC 951: a BOOTP message has a 64-byte vendor area
    }

    static DHCPPacket parse(byte[] data) {
        return DHCPPacket.getPacket(data, 0, data.length, true);
    }
}
