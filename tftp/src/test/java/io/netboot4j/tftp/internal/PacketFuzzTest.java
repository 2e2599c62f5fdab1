package io.netboot4j.tftp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** The decoder and the name check against random and mutated packets: never a crash, always a sane answer. */
class PacketFuzzTest {

    static byte[] request(int op, String name, String mode, Map<String, String> options) {
        return TftpPacket.request(op == TftpPacket.WRQ, name, mode, options);
    }

    @Provide
    Arbitrary<byte[]> randomDatagrams() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
    }

    @Provide
    Arbitrary<byte[]> mutatedRequests() {
        Arbitrary<String> names = Arbitraries.of("pxelinux.0", "pxelinux.cfg/default", "../etc/passwd", "/etc/passwd",
                "a\\..\\b", "vmlinuz", "x/./y//z", "", "..", "ldlinux.c32");
        Arbitrary<String> modes = Arbitraries.of("octet", "netascii", "OCTET", "mail", "", "oct\u00e9t");
        Arbitrary<Map<String, String>> options = Arbitraries.maps(
                Arbitraries.of("blksize", "tsize", "timeout", "windowsize", "multicast", "utimeout", "BlkSize"),
                Arbitraries.of("0", "1", "7", "8", "512", "1468", "65464", "65535", "99999999999999", "-1", "abc", ""))
                .ofMaxSize(5);
        Arbitrary<byte[]> base = Combinators.combine(Arbitraries.of(1, 2), names, modes, options)
                .as((op, n, m, o) -> request(op, n, m, o));
        Arbitrary<List<int[]>> edits = Arbitraries.integers().between(0, 700).array(int[].class).ofSize(3).list().ofMaxSize(6);
        return Combinators.combine(base, edits, Arbitraries.integers().between(-20, 20)).as((b, es, cut) -> {
            byte[] out = Arrays.copyOf(b, Math.max(0, b.length + cut));
            for (int[] e : es) {
                if (out.length == 0) {
                    break;
                }
                int at = e[0] % out.length;
                switch (e[1] % 3) {
                    case 0 -> out[at] = (byte) e[2];
                    case 1 -> out[at] = 0;
                    default -> out[at] ^= (byte) (1 << (e[2] % 8));
                }
            }
            return out;
        });
    }

    @Property(tries = 50_000)
    void randomDatagramsDecodeWithoutThrowing(@ForAll("randomDatagrams") byte[] datagram) {
        check(TftpPacket.decode(datagram, 0, datagram.length), datagram);
    }

    @Property(tries = 50_000)
    void mutatedRequestsDecodeToSaneValues(@ForAll("mutatedRequests") byte[] datagram) {
        check(TftpPacket.decode(datagram, 0, datagram.length), datagram);
    }

    private static void check(TftpPacket p, byte[] datagram) {
        assertThat(p).isNotNull();
        switch (p) {
            case TftpPacket.Request r -> {
                assertThat(datagram.length).isGreaterThanOrEqualTo(4);
                assertThat(r.filename()).doesNotContain("\0");
                assertThat(r.mode()).isIn("octet", "netascii");
                r.options().keySet().forEach(k -> assertThat(k).isEqualTo(k.toLowerCase(java.util.Locale.ROOT)).doesNotContain("\0"));
                try {
                    TftpNames.Checked c = TftpNames.check(r.filename());
                    assertThat(c.name()).isNotEmpty().doesNotStartWith("/");
                    assertThat(c.name().split("/")).doesNotContain("..", ".", "");
                    assertThat(c.name().chars()).allMatch(ch -> ch >= 0x20 && ch != 0x7F);
                } catch (AccessDeniedException e) {
                    assertThat(e.getReason()).isNotBlank();
                }
            }
            case TftpPacket.BadMode b -> assertThat(b.mode()).isNotIn("octet", "netascii");
            case TftpPacket.Ack a -> assertThat(a.block()).isBetween(0, 65535);
            case TftpPacket.Data d -> assertThat(d.length()).isGreaterThanOrEqualTo(0);
            case TftpPacket.Error e -> assertThat(e.code()).isBetween(0, 65535);
            case TftpPacket.Malformed m -> assertThat(m.reason()).isNotBlank();
        }
    }

    @Example
    void namesAreConfined() throws Exception {
        assertThat(TftpNames.check("pxelinux.cfg/default")).isEqualTo(new TftpNames.Checked("pxelinux.cfg/default", false));
        assertThat(TftpNames.check("/pxelinux.0")).isEqualTo(new TftpNames.Checked("pxelinux.0", true));
        assertThat(TftpNames.check("boot\\x86\\wdsnbp.com")).isEqualTo(new TftpNames.Checked("boot/x86/wdsnbp.com", false));
        assertThat(TftpNames.check("./a//b/")).isEqualTo(new TftpNames.Checked("a/b", false));
        for (String bad : List.of("../x", "a/../../x", "..", "a\\..\\..\\x", "a\u0001b", "", "/", "a\u007fb")) {
            assertThatThrownBy(() -> TftpNames.check(bad)).as(bad).isInstanceOf(AccessDeniedException.class);
        }
    }

    @Example
    void aNulSmuggledIntoTheNameEndsItAndTheRestIsAnUnknownMode() {
        byte[] p = "\0\1ok.txt\0../../etc/passwd\0octet\0".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(TftpPacket.decode(p, 0, p.length)).isEqualTo(new TftpPacket.BadMode(false, "ok.txt", "../../etc/passwd"));
    }

    @Example
    void optionsKeepTheClientsOrder() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("windowsize", "16");
        o.put("tsize", "0");
        o.put("blksize", "1468");
        byte[] p = request(1, "f", "octet", o);
        var r = (TftpPacket.Request) TftpPacket.decode(p, 0, p.length);
        assertThat(r.options().keySet()).containsExactly("windowsize", "tsize", "blksize");
    }

    @Example
    void errorPacketsComeFromCommonsNet() {
        byte[] e = TftpPacket.error(2, "access violation");
        assertThat(TftpPacket.decode(e, 0, e.length)).isEqualTo(new TftpPacket.Error(2, "access violation"));
    }

    @Example
    void netasciiConvertsLineEnds() throws Exception {
        assertThat(NetasciiFile.encode("a\nb\rc\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("a\r\nb\r\0c\r\0\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
