package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.MacAddress;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The Router Solicitation check and the Router Advertisement of the responder (RFC 4861 sections 4.1, 4.2, 6.1.1). */
class RouterAdvertisementsTest {

    /** A solicitation as the Linux kernel sends it: header and a source link-layer address option. */
    private static final byte[] KERNEL_RS = {(byte) 133, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 1};

    @Test
    void advertisementSaysNoRouterNoPrefixNoFlags() {
        byte[] ra = RouterAdvertisements.advertisement(MacAddress.parse("52:54:00:12:34:56"));
        assertThat(ra).hasSize(24);
        assertThat(ra[0] & 0xFF).as("type").isEqualTo(134);
        assertThat(ra[1]).as("code").isZero();
        assertThat(ra[4]).as("current hop limit: unspecified").isZero();
        assertThat(ra[5]).as("no M, no O flag").isZero();
        assertThat(Arrays.copyOfRange(ra, 6, 8)).as("router lifetime 0: not a default router").containsOnly(0);
        assertThat(Arrays.copyOfRange(ra, 8, 16)).as("reachable time, retrans timer unspecified").containsOnly(0);
        assertThat(Arrays.copyOfRange(ra, 16, 24)).as("source link-layer address option, no prefix option")
                .containsExactly(1, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56);
        assertThat(RouterAdvertisements.advertisement(null)).as("no hardware address: no option").hasSize(16);
    }

    @Test
    void solicitationsAreCheckedAsRfc4861Asks() {
        assertThat(RouterAdvertisements.isValidSolicitation(KERNEL_RS, KERNEL_RS.length, false)).isTrue();
        assertThat(RouterAdvertisements.isValidSolicitation(KERNEL_RS, 8, true)).as("bare, from ::").isTrue();
        assertThat(RouterAdvertisements.isValidSolicitation(KERNEL_RS, KERNEL_RS.length, true))
                .as("from :: with a link-layer address option").isFalse();
        assertThat(RouterAdvertisements.isValidSolicitation(KERNEL_RS, 7, false)).as("shorter than 8 bytes").isFalse();
        assertThat(RouterAdvertisements.isValidSolicitation(KERNEL_RS, 12, false)).as("option runs past the end").isFalse();
        byte[] zeroLength = KERNEL_RS.clone();
        zeroLength[9] = 0;
        assertThat(RouterAdvertisements.isValidSolicitation(zeroLength, zeroLength.length, false)).as("option length 0").isFalse();
        byte[] code = KERNEL_RS.clone();
        code[1] = 1;
        assertThat(RouterAdvertisements.isValidSolicitation(code, code.length, false)).as("code 1").isFalse();
        byte[] advert = RouterAdvertisements.advertisement(null);
        assertThat(RouterAdvertisements.isValidSolicitation(advert, advert.length, false)).as("an advertisement").isFalse();
    }

    @Property(tries = 20000)
    void anyBytesAreCheckedWithoutThrowing(@ForAll byte[] bytes, @ForAll boolean unspecified, @ForAll boolean solicitationHeader) {
        if (solicitationHeader && bytes.length >= 2) {
            bytes[0] = (byte) 133; // get past the type and code checks, into the options
            bytes[1] = 0;
        }
        boolean valid = RouterAdvertisements.isValidSolicitation(bytes, bytes.length, unspecified);
        if (valid) {
            assertThat(bytes.length).isGreaterThanOrEqualTo(8);
            assertThat(bytes[0] & 0xFF).isEqualTo(133);
        }
    }
}
