package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import java.time.Duration;
import java.util.List;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * klibc {@code ipconfig}, the DHCP client of Debian's initramfs ({@code ip=dhcp}), as the
 * 6.1 initrd runs it.
 *
 * <p>Packets: those of a recorded boot (tcpdump; {@code KlibcDhcpTest} holds the bytes):
 * broadcast flag set, options 53, 55 (1 3 6 12 15 17 26 28 40 119 121) and 60
 * {@code Linux ipconfig}; the REQUEST puts 54 and 50 after 53.
 *
 * <p>Timing: the recorded client requested the offer it got 1 s after its DISCOVER, when
 * its timer expired, not on arrival, and sent that REQUEST twice, 1 ms apart; the simulated
 * one does both. klibc's {@code usr/kinit/ipconfig/main.c} (from memory) explains the pair:
 * the offer is handled in the receive path, which sends a REQUEST at once, and in the same
 * turn of its loop the expired timer sends the packet of the new state, the REQUEST again.
 * klibc keeps one timer for the whole exchange ({@code retry_period}: 1 s, doubled at every
 * expiry, capped at 60 s, which no run reaches): DISCOVER at 0 s, REQUEST at 1 s, then again
 * at 3 s, 7 s, ...;
 * initramfs-tools' {@code configure_networking} runs {@code ipconfig -t T} for
 * T = 2, 3, 4, 6, 9, 16, 25, 36, 64 and 100 s in turn (from memory), each run a fresh exchange.
 */
public final class KlibcDhcp implements DhcpClientProfile {

    /** The runs of {@code ipconfig -t T} initramfs-tools makes, in order. */
    public static final List<Duration> ROUNDS = List.of(2, 3, 4, 6, 9, 16, 25, 36, 64, 100).stream()
            .map(Duration::ofSeconds).toList();

    /** Longer than the longest run: within a run klibc never gives up, the run's {@code -t} ends it. */
    private static final long RUN_LONGEST = 1024 * IpxeDhcp.SECOND;

    private static final byte[] PARAMETERS = DhcpPackets.hex("01 03 06 0c 0f 11 1a 1c 28 77 79");

    @Override
    public String name() {
        return "klibc ipconfig";
    }

    @Override
    public DHCPPacket discover(MacAddress mac, int xid, int secs) {
        return options(DhcpPackets.request(mac, xid, secs, DHCPConstants.DHCPDISCOVER));
    }

    @Override
    public DHCPPacket request(MacAddress mac, int xid, int secs, DHCPPacket offer) {
        DHCPPacket p = DhcpPackets.request(mac, xid, secs, DHCPConstants.DHCPREQUEST);
        p.setOptionAsInetAddress(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER, offer.getOptionAsInetAddr(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER));
        p.setOptionAsInetAddress(DHCPConstants.DHO_DHCP_REQUESTED_ADDRESS, offer.getYiaddr());
        return options(p);
    }

    private static DHCPPacket options(DHCPPacket p) {
        p.setOptionRaw(DHCPConstants.DHO_DHCP_PARAMETER_REQUEST_LIST, PARAMETERS);
        p.setOptionRaw(DhcpPackets.OPT_VENDOR_CLASS, DhcpPackets.ascii("Linux ipconfig"));
        return p;
    }

    @Override
    public Backoff discoverBackoff() {
        return new Backoff(IpxeDhcp.SECOND, RUN_LONGEST);
    }

    @Override
    public Backoff requestBackoff(Backoff discovering) {
        discovering.expired();
        return discovering;
    }

    @Override
    public int requestCopies() {
        return 2;
    }

    @Override
    public boolean restartsOnNak() {
        return true;
    }

    @Override
    public boolean takesAtOnce(DHCPPacket offer) {
        return false;
    }

    @Override
    public boolean takesAtExpiry(DHCPPacket offer, long elapsedNanos) {
        return true;
    }
}
