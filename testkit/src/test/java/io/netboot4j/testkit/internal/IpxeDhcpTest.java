package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.MacAddress;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/**
 * The simulated iPXE against packets of the real ROM (Debian ipxe-qemu in QEMU's e1000,
 * recorded with tcpdump) and against the timers of its source.
 */
class IpxeDhcpTest {

    private static final long S = 1_000_000_000L;
    private static final MacAddress MAC = MacAddress.parse("52:54:00:96:00:11");
    /** QEMU's SMBIOS UUID is all zeros. */
    private final IpxeDhcp ipxe = new IpxeDhcp(new byte[16]);

    @Test
    void discoverCarriesTheRecordedOptionsInTheRecordedOrder() {
        DHCPPacket recorded = RecordedPackets.packet("ipxe-discover");
        DHCPPacket ours = ipxe.discover(MAC, recorded.getXid(), recorded.getSecs());
        RecordedPackets.assertSameOptions(ours, "ipxe-discover");
        assertThat(RecordedPackets.options(ours).get(DhcpPackets.OPT_VENDOR_CLASS))
                .isEqualTo(java.util.HexFormat.of().formatHex("PXEClient:Arch:00000:UNDI:002001".getBytes()));
        assertThat(ours.getChaddrAsHex()).isEqualTo(recorded.getChaddrAsHex());
        // the one difference: the simulated nodes share a card, so they ask for broadcast answers
        assertThat(recorded.getFlags()).isZero();
        assertThat(ours.getFlags()).isEqualTo((short) 0x8000);
    }

    @Test
    void requestForTheRecordedOfferIsTheRecordedRequest() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DHCPPacket recorded = RecordedPackets.packet("ipxe-request");
        DHCPPacket ours = ipxe.request(MAC, recorded.getXid(), recorded.getSecs(), offer);
        RecordedPackets.assertSameOptions(ours, "ipxe-request");
    }

    @Test
    void anOfferWithPxeOptionsIsRequestedWhenTheFirstTimerExpiresAsRecorded() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(ipxe, MAC, offer.getXid());
        var first = (DhcpMachine.Step.Send) m.start(0);
        assertThat(first.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPDISCOVER);
        assertThat(first.deadline()).isEqualTo(S);
        assertThat(m.receive(offer, S * 4 / 10)).isInstanceOf(DhcpMachine.Step.Wait.class);
        var request = (DhcpMachine.Step.Send) m.timeout(S);
        assertThat(request.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPREQUEST);
        assertThat(request.deadline()).isEqualTo(S + S / 4);
        assertThat(request.copies()).isEqualTo(1);
        DHCPPacket ack = offer.clone();
        ack.setDHCPMessageType(DHCPConstants.DHCPACK);
        assertThat(m.receive(ack, S + S / 100)).isInstanceOf(DhcpMachine.Step.Bound.class);
        assertThat(m.retransmissions()).isZero();
    }

    @Test
    void aNakToTheRequestIsIgnoredLikeIpxeDoes() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(ipxe, MAC, offer.getXid());
        m.start(0);
        m.receive(offer, S / 10);
        var request = (DhcpMachine.Step.Send) m.timeout(S);
        DHCPPacket nak = offer.clone();
        nak.setDHCPMessageType(DHCPConstants.DHCPNAK);
        assertThat(m.receive(nak, S + S / 100)).isEqualTo(new DhcpMachine.Step.Wait(request.deadline()));
        var again = (DhcpMachine.Step.Send) m.timeout(request.deadline());
        assertThat(again.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPREQUEST);
    }

    @Test
    void anOfferWithoutPxeOptionsWaitsForProxyDhcpUntilTwoSecondsPassed() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        offer.removeOption(DhcpPackets.OPT_VENDOR_CLASS);
        DhcpMachine m = new DhcpMachine(ipxe, MAC, offer.getXid());
        m.start(0);
        m.receive(offer, S / 10);
        var again = (DhcpMachine.Step.Send) m.timeout(S);
        assertThat(again.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPDISCOVER);
        assertThat(again.deadline()).isEqualTo(3 * S);
        var request = (DhcpMachine.Step.Send) m.timeout(3 * S);
        assertThat(request.packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPREQUEST);
    }

    @Test
    void discoverIsSentAtZeroOneThreeAndSevenSecondsThenIpxeGivesUpAtFifteen() {
        DhcpMachine m = new DhcpMachine(ipxe, MAC, 7);
        long deadline = ((DhcpMachine.Step.Send) m.start(0)).deadline();
        StringBuilder sent = new StringBuilder("0");
        DhcpMachine.Step step;
        while ((step = m.timeout(deadline)) instanceof DhcpMachine.Step.Send s) {
            sent.append(' ').append(deadline / S);
            deadline = s.deadline();
        }
        assertThat(sent).hasToString("0 1 3 7");
        assertThat(deadline).isEqualTo(15 * S);
        assertThat(step).isInstanceOf(DhcpMachine.Step.Failed.class);
        assertThat(((DhcpMachine.Step.Failed) step).why()).contains("iPXE gave up in DISCOVER");
    }

    @Test
    void requestIsSentAgainAfterAQuarterHalfOneTwoSecondsThenIpxeGivesUp() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(ipxe, MAC, offer.getXid());
        m.start(0);
        m.receive(offer, 0);
        long deadline = ((DhcpMachine.Step.Send) m.timeout(S)).deadline();
        StringBuilder gaps = new StringBuilder();
        long last = S;
        DhcpMachine.Step step;
        while ((step = m.timeout(deadline)) instanceof DhcpMachine.Step.Send s) {
            gaps.append(deadline - last).append(' ');
            last = deadline;
            deadline = s.deadline();
        }
        assertThat(gaps.toString().strip()).isEqualTo((S / 4) + " " + (S / 2) + " " + S + " " + 2 * S);
        assertThat(deadline - last).isEqualTo(4 * S);
        assertThat(step).isInstanceOf(DhcpMachine.Step.Failed.class);
    }

    @Test
    void repliesToOtherClientsAreIgnored() {
        DHCPPacket offer = RecordedPackets.packet("netboot4j-offer-to-ipxe");
        DhcpMachine m = new DhcpMachine(ipxe, MacAddress.parse("52:54:00:96:00:12"), offer.getXid());
        m.start(0);
        m.receive(offer, S / 10);
        assertThat(((DhcpMachine.Step.Send) m.timeout(S)).packet().getDHCPMessageType()).isEqualTo(DHCPConstants.DHCPDISCOVER);
    }
}
