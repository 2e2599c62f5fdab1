package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.UefiChain;
import io.netboot4j.dhcp.DhcpSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dhcp4java.DHCPPacket;
import org.junit.jupiter.api.Test;

/** UEFI HTTP Boot: vendor class HTTPClient gets HTTPClient back and the URL of its chain's loader. */
class HttpBootTest {

    private final List<BootEvent> events = new ArrayList<>();

    /** A request as OVMF's HTTP Boot sends it (vendor class and architecture 16, x64 UEFI HTTP). */
    static DHCPPacket httpClient(DHCPPacket p, int arch) {
        p.setOptionRaw(DhcpEngine.OPT_VENDOR_CLASS, String.format("HTTPClient:Arch:%05d:UNDI:003001", arch)
                .getBytes(StandardCharsets.US_ASCII));
        p.setOptionRaw(DhcpEngine.OPT_CLIENT_ARCH, new byte[] {(byte) (arch >> 8), (byte) arch});
        return p;
    }

    @Test
    void httpClientsGetTheVendorClassBackAndTheLoaderUrl() {
        DhcpEngine e = new DhcpEngine(DhcpEngineTest.cluster(null), DhcpSettings.defaults(), null, events::add);
        DHCPPacket offer = DhcpEngineTest.parse(DhcpEngineTest.send(e, httpClient(Packets.discover(DhcpEngineTest.NODE1), 16)));
        assertThat(offer.getFile()).isEqualTo("http://10.77.0.1/snponly.efi");
        assertThat(offer.getOptionAsString(DhcpEngine.OPT_VENDOR_CLASS)).isEqualTo("HTTPClient");
        assertThat(offer.getOptionRaw(DhcpEngine.OPT_VENDOR_SPECIFIC)).as("no PXE discovery control").isNull();
        assertThat(offer.getYiaddr().getHostAddress()).isEqualTo("10.77.0.101");

        DHCPPacket ack = DhcpEngineTest.parse(DhcpEngineTest.send(e,
                httpClient(Packets.selecting(DhcpEngineTest.NODE1, "10.77.0.101", "10.77.0.1"), 16)));
        assertThat(ack.getFile()).isEqualTo("http://10.77.0.1/snponly.efi");
        assertThat(ack.getOptionAsString(DhcpEngine.OPT_VENDOR_CLASS)).isEqualTo("HTTPClient");

        DHCPPacket arm = DhcpEngineTest.parse(DhcpEngineTest.send(e, httpClient(Packets.discover(DhcpEngineTest.NODE1), 19)));
        assertThat(arm.getFile()).isEqualTo("http://10.77.0.1/arm64/snponly.efi");
        DHCPPacket ia32 = DhcpEngineTest.parse(DhcpEngineTest.send(e, httpClient(Packets.discover(DhcpEngineTest.NODE1), 15)));
        assertThat(ia32.getFile()).as("32-bit x86: no loader").isEmpty();
        assertThat(ia32.containsOption(DhcpEngine.OPT_VENDOR_CLASS)).as("no HTTPClient without a URL").isFalse();

        DHCPPacket pxe = DhcpEngineTest.parse(DhcpEngineTest.send(e, Packets.pxe(Packets.discover(DhcpEngineTest.NODE1), 7)));
        assertThat(pxe.getFile()).as("PXE clients keep their TFTP name").isEqualTo("snponly.efi");
    }

    @Test
    void theUrlNamesAPortOtherThan80AndTheNodesOwnChain() {
        Cluster base = DhcpEngineTest.cluster(null);
        Cluster c = base.toBuilder().ports(base.ports().withHttp(8080)).uefiChain("kerrighednode1", UefiChain.SHIM_GRUB).build();
        DhcpEngine e = new DhcpEngine(c, DhcpSettings.defaults(), null, events::add);
        assertThat(DhcpEngineTest.parse(DhcpEngineTest.send(e, httpClient(Packets.discover(DhcpEngineTest.NODE1), 16))).getFile())
                .isEqualTo("http://10.77.0.1:8080/shimx64.efi");
        assertThat(HttpBoot.url(c, null, 16)).contains("http://10.77.0.1:8080/snponly.efi");
    }
}
