package io.netboot4j.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dhcp4java.DHCPOption;
import org.dhcp4java.DHCPPacket;

/**
 * DHCP packets recorded with tcpdump on the bridge of a QEMU boot (Debian's ipxe-qemu ROM,
 * then the 6.1 initramfs's klibc ipconfig, against netboot4j's server); the UDP payloads
 * are stored as hexadecimal text next to this class.
 */
final class RecordedPackets {

    private RecordedPackets() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = RecordedPackets.class.getResourceAsStream(name + ".hex")) {
            return DhcpPackets.hex(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DHCPPacket packet(String name) {
        byte[] b = bytes(name);
        return DHCPPacket.getPacket(b, 0, b.length, true);
    }

    /** Asserts that {@code ours} carries the recorded packet's options, values and order. */
    static void assertSameOptions(DHCPPacket ours, String recorded) {
        org.assertj.core.api.Assertions.assertThat(options(ours)).containsExactlyEntriesOf(options(packet(recorded)));
        org.assertj.core.api.Assertions.assertThat(order(ours.serialize())).as("option order").isEqualTo(order(bytes(recorded)));
    }

    /** Option code to value, in the packet's order. */
    static Map<Byte, String> options(DHCPPacket p) {
        Map<Byte, String> m = new LinkedHashMap<>();
        for (DHCPOption o : p.getOptionsArray()) {
            m.put(o.getCode(), java.util.HexFormat.of().formatHex(o.getValue()));
        }
        return m;
    }

    /** Option codes in the order they are on the wire (dhcp4java keeps the order it parsed). */
    static java.util.List<Byte> order(byte[] payload) {
        java.util.List<Byte> codes = new java.util.ArrayList<>();
        int i = 240;
        while (i < payload.length && payload[i] != (byte) 255) {
            if (payload[i] == 0) {
                i++;
                continue;
            }
            codes.add(payload[i]);
            i += 2 + (payload[i + 1] & 0xFF);
        }
        return codes;
    }
}
