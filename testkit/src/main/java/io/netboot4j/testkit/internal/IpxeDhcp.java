package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import java.net.InetAddress;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * iPXE's DHCP client ({@code net/udp/dhcp.c}, {@code config/dhcp.h}) as Debian's
 * {@code ipxe-qemu} (1.0.0+git-20190125) runs it in QEMU's e1000 ROM.
 *
 * <p>Packets: those of a recorded boot (tcpdump; {@code IpxeDhcpTest} holds the bytes):
 * options 53, 57 (1472), 93 (arch 0), 94 (UNDI 2.1), 60 {@code PXEClient:Arch:00000:UNDI:002001},
 * 77 {@code iPXE}, 55, 175 (iPXE's feature list), 61 (01 + MAC), 97 (the machine's UUID);
 * the REQUEST adds 54 and 50. Two differences: each simulated machine has its own UUID
 * (QEMU's is all zeros), and the broadcast flag is set (the ROM leaves it clear): the simulated
 * nodes share one card, so an answer sent to a node's MAC address (dnsmasq does that for a
 * clear flag) would not reach it.
 *
 * <p>Timing (iPXE's {@code config/dhcp.h} and {@code core/retry.c}, from memory of the source,
 * checked against the recording where it shows): DISCOVER starts at 1 s and doubles
 * ({@code DHCP_DISC_START_TIMEOUT_SEC 1}) until it would pass 10 s
 * ({@code DHCP_DISC_END_TIMEOUT_SEC 10}): sent at 0, 1, 3 and 7 s, failed at 15 s. An offer is
 * requested when the timer expires, not on arrival (recorded: REQUEST 1.0 s after the DISCOVER,
 * the offer came after 0.4 s); an offer without PXE options (no option 60 {@code PXEClient}) only
 * once {@code DHCP_DISC_PROXY_TIMEOUT_SEC} (2 s) have passed, while iPXE listens for ProxyDHCP.
 * REQUEST starts at {@code DHCP_REQ_START_TIMEOUT_SEC 0}, which the retry timer raises to its
 * minimum of 1/4 s, and doubles until it would pass {@code DHCP_REQ_END_TIMEOUT_SEC 4}: sent at
 * 0, 0.25, 0.75, 1.75 and 3.75 s, failed at 7.75 s.
 */
public final class IpxeDhcp implements DhcpClientProfile {

    /** Option 60 of the x86 BIOS iPXE ROM. */
    public static final String VENDOR_CLASS = "PXEClient:Arch:00000:UNDI:002001";

    static final long SECOND = 1_000_000_000L;
    /** {@code DHCP_DISC_PROXY_TIMEOUT_SEC}. */
    private static final long PROXY_WAIT = 2 * SECOND;
    private static final byte[] PARAMETERS = DhcpPackets.hex(
            "01 03 06 07 0c 0f 11 1a 2b 3c 42 43 77 80 81 82 83 84 85 86 87 af cb");
    private static final byte[] FEATURES = DhcpPackets.hex(
            "b1 05 01 80 86 10 0e eb 03 01 00 00 17 01 01 22 01 01 13 01 01 11 01 01 27 01 01 19 01 01 29 01 01 10 01 02 21 01 01 15 01 01 18 01 01 12 01 01");

    private final byte[] uuid;

    /**
     * @param uuid the machine's 16-byte SMBIOS UUID, sent in option 97
     */
    public IpxeDhcp(byte[] uuid) {
        this.uuid = uuid.clone();
    }

    @Override
    public String name() {
        return "iPXE";
    }

    @Override
    public DHCPPacket discover(MacAddress mac, int xid, int secs) {
        return packet(mac, xid, secs, DHCPConstants.DHCPDISCOVER);
    }

    @Override
    public DHCPPacket request(MacAddress mac, int xid, int secs, DHCPPacket offer) {
        DHCPPacket p = packet(mac, xid, secs, DHCPConstants.DHCPREQUEST);
        p.setOptionAsInetAddress(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER, offer.getOptionAsInetAddr(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER));
        p.setOptionAsInetAddress(DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS, offer.getYiaddr());
        return p;
    }

    private DHCPPacket packet(MacAddress mac, int xid, int secs, byte type) {
        DHCPPacket p = DhcpPackets.request(mac, xid, secs, type);
        p.setOptionAsShort(DHCPConstants.DHO_DHCP_MAX_MESSAGE_SIZE, (short) 1472);
        p.setOptionRaw(DhcpPackets.OPT_CLIENT_ARCH, new byte[] {0, 0});
        p.setOptionRaw(DhcpPackets.OPT_CLIENT_NDI, new byte[] {1, 2, 1});
        p.setOptionRaw(DhcpPackets.OPT_VENDOR_CLASS, DhcpPackets.ascii(VENDOR_CLASS));
        p.setOptionRaw(DhcpPackets.OPT_USER_CLASS, DhcpPackets.ascii("iPXE"));
        p.setOptionRaw(DHCPConstants.DHO_DHCP_PARAMETER_REQUEST_LIST, PARAMETERS);
        p.setOptionRaw(DhcpPackets.OPT_IPXE_ENCAP, FEATURES);
        byte[] id = new byte[7];
        id[0] = 1;
        System.arraycopy(mac.toBytes(), 0, id, 1, 6);
        p.setOptionRaw(DHCPConstants.DHO_DHCP_CLIENT_IDENTIFIER, id);
        byte[] guid = new byte[17];
        System.arraycopy(uuid, 0, guid, 1, 16);
        p.setOptionRaw((byte) 97, guid);
        return p;
    }

    @Override
    public Backoff discoverBackoff() {
        return new Backoff(SECOND, 10 * SECOND);
    }

    @Override
    public Backoff requestBackoff(Backoff discovering) {
        return new Backoff(SECOND / 4, 4 * SECOND);
    }

    @Override
    public int requestCopies() {
        return 1;
    }

    @Override
    public boolean restartsOnNak() {
        return false;
    }

    @Override
    public boolean takesAtOnce(DHCPPacket offer) {
        return false;
    }

    @Override
    public boolean takesAtExpiry(DHCPPacket offer, long elapsedNanos) {
        return pxeOffer(offer) || elapsedNanos > PROXY_WAIT;
    }

    private static boolean pxeOffer(DHCPPacket offer) {
        byte[] raw = offer.getOptionRaw(DhcpPackets.OPT_VENDOR_CLASS);
        String vendor = raw == null ? null : new String(raw, java.nio.charset.StandardCharsets.US_ASCII);
        InetAddress server = offer.getOptionAsInetAddr(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER);
        return server != null && vendor != null && vendor.startsWith("PXEClient");
    }

}
