package io.netboot4j.tftp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.commons.net.tftp.TFTPPacket;
import org.apache.commons.net.tftp.TFTPRequestPacket;
import org.junit.jupiter.api.Test;

/**
 * Why request options (RFC 2347) are parsed by netboot4j's codec and not by Commons Net's
 * {@code TFTPRequestPacket.getOptions()}: Commons Net 3.13 keeps the options' case (RFC 2347:
 * names are case-insensitive, so {@code BlkSize} and {@code blksize} are one option) and
 * throws on a trailing unpaired string, which tftpd-hpa ignores. If a later Commons Net fixes
 * both, this test fails and the hand parser can go.
 */
class RequestOptionsTest {

    private static byte[] packet(String text) {
        return text.replace('|', '\0').getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void optionNamesAreCaseInsensitiveAndTheFirstOfTwoWins() {
        byte[] rrq = packet("\0\1pxelinux.0|octet|BlkSize|1468|tsize|0|blksize|512|");
        assertThat(((TftpPacket.Request) TftpPacket.decode(rrq, 0, rrq.length)).options())
                .containsExactly(Map.entry("blksize", "1468"), Map.entry("tsize", "0"));
        TFTPRequestPacket cn = commonsNet(rrq);
        assertThat(cn.getOptions()).containsEntry("BlkSize", "1468").containsEntry("blksize", "512");
    }

    @Test
    void aTrailingUnpairedStringIsIgnoredAsTftpdHpaDoes() {
        byte[] rrq = packet("\0\1pxelinux.0|octet|blksize|1468|tsize|");
        assertThat(((TftpPacket.Request) TftpPacket.decode(rrq, 0, rrq.length)).options())
                .containsExactly(Map.entry("blksize", "1468"));
        assertThatThrownBy(() -> commonsNet(rrq)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }

    private static TFTPRequestPacket commonsNet(byte[] rrq) {
        try {
            return (TFTPRequestPacket) TFTPPacket.newTFTPPacket(new DatagramPacket(rrq, rrq.length));
        } catch (org.apache.commons.net.tftp.TFTPPacketException e) {
            throw new IllegalStateException(e);
        }
    }
}
