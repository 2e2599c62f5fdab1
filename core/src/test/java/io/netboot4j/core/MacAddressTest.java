package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MacAddressTest {

    @Test
    void parsesColonDashAndBareFormsInEitherCase() {
        MacAddress expected = new MacAddress(0x012D61C71786L);
        assertThat(MacAddress.parse("01:2D:61:C7:17:86")).isEqualTo(expected);
        assertThat(MacAddress.parse("01-2d-61-c7-17-86")).isEqualTo(expected);
        assertThat(MacAddress.parse("012D61c71786")).isEqualTo(expected);
        assertThat(MacAddress.parse(" 01:2d:61:c7:17:86 ")).isEqualTo(expected);
    }

    @Test
    void printsCanonicalAndPxelinuxForms() {
        MacAddress m = MacAddress.parse("52:54:00:AB:CD:0E");
        assertThat(m).hasToString("52:54:00:ab:cd:0e");
        assertThat(m.pxelinuxName()).isEqualTo("01-52-54-00-ab-cd-0e");
        assertThat(m.toUpperString()).isEqualTo("52:54:00:AB:CD:0E");
        assertThat(m.format('-')).isEqualTo("52-54-00-ab-cd-0e");
    }

    @Test
    void rejectsMalformedTextNamingIt() {
        assertThatThrownBy(() -> MacAddress.parse("01:2D:61:C7:17")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'01:2D:61:C7:17' is not a MAC address");
        assertThatThrownBy(() -> MacAddress.parse("01:2D:61:C7:17:8G")).hasMessageContaining("'G' is not a hex digit");
        assertThatThrownBy(() -> MacAddress.parse("01:2D-61:C7:17:86")).hasMessageContaining("is not a MAC address");
        assertThatThrownBy(() -> MacAddress.parse(null)).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> new MacAddress(1L << 48)).hasMessageContaining("more than 48 bits");
    }

    @Test
    void knowsGroupAndLocalBits() {
        assertThat(MacAddress.parse("01:2D:61:C7:17:86").isMulticast()).isTrue();
        assertThat(MacAddress.parse("52:54:00:12:34:56").isMulticast()).isFalse();
        assertThat(MacAddress.parse("02:00:00:00:00:01").isLocallyAdministered()).isTrue();
        assertThat(MacAddress.parse("52:54:00:12:34:56").isLocallyAdministered()).isTrue();
        assertThat(MacAddress.parse("00:16:3e:12:34:56").isLocallyAdministered()).isFalse();
    }

    @Test
    void countsUpAndConvertsBytes() {
        MacAddress m = MacAddress.parse("52:54:00:00:00:ff");
        assertThat(m.plus(1)).hasToString("52:54:00:00:01:00");
        assertThat(MacAddress.ofBytes(m.toBytes())).isEqualTo(m);
        assertThat(MacAddress.parse("ff:ff:ff:ff:ff:ff").plus(1)).hasToString("00:00:00:00:00:00");
    }

    @Property
    void everyPrintedFormParsesBack(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long value) {
        MacAddress m = new MacAddress(value);
        assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
        assertThat(MacAddress.parse(m.format('-'))).isEqualTo(m);
        assertThat(MacAddress.parse(m.toUpperString())).isEqualTo(m);
        assertThat(MacAddress.parse(m.pxelinuxName().substring(3))).isEqualTo(m);
        assertThat(MacAddress.parse(m.toString().replace(":", ""))).isEqualTo(m);
    }
}
