package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.MacAddress;
import java.time.Duration;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/**
 * The simulated klibc {@code ipconfig} against the packets the real one sent from Debian's
 * 6.1 initramfs (recorded with tcpdump during a QEMU boot).
 */
class KlibcDhcpTest {

    private static final long S = 1_000_000_000L;
    private static final MacAddress MAC = MacAddress.parse("52:54:00:96:00:11");
    private final KlibcDhcp klibc = new KlibcDhcp();

    @Test
    void discoverIsTheRecordedOne() {
        DHCPPacket recorded = RecordedPackets.packet("klibc-discover");
        DHCPPacket ours = klibc.discover(MAC, recorded.getXid(), recorded.getSecs());
        RecordedPackets.assertSameOptions(ours, "klibc-discover");
        assertThat(ours.getFlags()).isEqualTo(recorded.getFlags()).isEqualTo((short) 0x8000);
    }

    @Test
    void requestIsTheRecordedOne() {
        DHCPPacket recorded = RecordedPackets.packet("klibc-request");
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DHCPPacket ours = klibc.request(MAC, recorded.getXid(), recorded.getSecs(), offer);
        RecordedPackets.assertSameOptions(ours, "klibc-request");
    }

    @Test
    void theOfferIsRequestedTwiceWhenTheTimerExpiresOnOneDoublingTimer() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(klibc, MAC, offer.getXid());
        var discover = (DhcpMachine.Step.Send) m.start(0);
        assertThat(discover.deadline()).isEqualTo(S);
        assertThat(discover.copies()).isEqualTo(1);
        assertThat(m.receive(offer, S / 100)).isInstanceOf(DhcpMachine.Step.Wait.class);
        // recorded: the REQUEST at the 1 s expiry, twice, 1 ms apart
        var request = (DhcpMachine.Step.Send) m.timeout(S);
        assertThat(request.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPREQUEST);
        assertThat(request.copies()).isEqualTo(2);
        // klibc's one retry_period for the exchange: 1 s, 2 s, 4 s: REQUEST again at 3 s, then at 7 s
        assertThat(request.deadline()).isEqualTo(3 * S);
        var again = (DhcpMachine.Step.Send) m.timeout(request.deadline());
        assertThat(again.copies()).isEqualTo(1);
        assertThat(again.deadline()).isEqualTo(7 * S);
    }

    @Test
    void aNakSendsKlibcBackToDiscover() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(klibc, MAC, offer.getXid());
        m.start(0);
        m.receive(offer, S / 100);
        m.timeout(S);
        DHCPPacket nak = offer.clone();
        nak.setDHCPMessageType(DHCPConstants.DHCPNAK);
        var discover = (DhcpMachine.Step.Send) m.receive(nak, S + S / 100);
        assertThat(discover.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPDISCOVER);
    }

    @Test
    void discoversAreSentAgainOnTheDoublingTimer() {
        DhcpMachine m = new DhcpMachine(klibc, MAC, 0x1234);
        long deadline = ((DhcpMachine.Step.Send) m.start(0)).deadline();
        for (long expected : new long[] {3 * S, 7 * S, 15 * S, 31 * S}) {
            var d = (DhcpMachine.Step.Send) m.timeout(deadline);
            assertThat(d.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPDISCOVER);
            deadline = d.deadline();
            assertThat(deadline).isEqualTo(expected);
        }
    }

    @Test
    void initramfsToolsRunsIpconfigWithGrowingTimeouts() {
        assertThat(KlibcDhcp.ROUNDS).extracting(Duration::toSeconds).containsExactly(2L, 3L, 4L, 6L, 9L, 16L, 25L, 36L, 64L, 100L);
    }
}
