package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Ipv4NetworkTest {

    @Test
    void parsesCidrAndNetmaskForms() {
        Ipv4Network n = Ipv4Network.parse("192.168.1.0/24");
        assertThat(n).hasToString("192.168.1.0/24");
        assertThat(Ipv4Network.parse("192.168.1.0 255.255.255.0")).isEqualTo(n);
        assertThat(Ipv4Network.parse("192.168.1.0/255.255.255.0")).isEqualTo(n);
        assertThat(n.netmask()).isEqualTo(Ipv4.parse("255.255.255.0"));
        assertThat(n.broadcast()).isEqualTo(Ipv4.parse("192.168.1.255"));
        assertThat(n.size()).isEqualTo(256);
    }

    @Test
    void containsAndNthHost() {
        Ipv4Network n = Ipv4Network.parse("10.0.0.0/30");
        assertThat(n.contains(Ipv4.parse("10.0.0.3"))).isTrue();
        assertThat(n.contains(Ipv4.parse("10.0.0.4"))).isFalse();
        assertThat(n.host(1)).isEqualTo(Ipv4.parse("10.0.0.1"));
        assertThat(n.host(2)).isEqualTo(Ipv4.parse("10.0.0.2"));
        assertThatThrownBy(() -> n.host(3)).hasMessageContaining("host 3 is outside 10.0.0.0/30 (1-2)");
        assertThat(Ipv4Network.parse("10.0.0.0/31").host(2)).isEqualTo(Ipv4.parse("10.0.0.1"));
        assertThat(Ipv4Network.parse("0.0.0.0/0").contains(Ipv4.parse("8.8.8.8"))).isTrue();
        assertThat(Ipv4Network.containing(Ipv4.parse("192.168.1.77"), 24)).isEqualTo(Ipv4Network.parse("192.168.1.0/24"));
    }

    @Test
    void rejectsMalformedSubnetsNamingThem() {
        assertThatThrownBy(() -> Ipv4Network.parse("192.168.1.1/24")).hasMessageContaining("has host bits set")
                .hasMessageContaining("192.168.1.0/24");
        assertThatThrownBy(() -> Ipv4Network.parse("192.168.1.0/33")).hasMessageContaining("prefix length 33");
        assertThatThrownBy(() -> Ipv4Network.parse("192.168.1.0 255.0.255.0")).hasMessageContaining("not contiguous");
        assertThatThrownBy(() -> Ipv4Network.parse("192.168.1.0")).hasMessageContaining("'192.168.1.0' is not a subnet");
        assertThatThrownBy(() -> Ipv4Network.parse("192.168.1.0/x")).hasMessageContaining("bad prefix length 'x'");
    }

    @Test
    void ipv4ParsingIsStrict() {
        assertThat(Ipv4.parse("192.168.1.101")).isEqualTo(Ipv4.fromInt(0xC0A80165));
        assertThatThrownBy(() -> Ipv4.parse("192.168.1")).hasMessageContaining("'192.168.1' is not an IPv4 address");
        assertThatThrownBy(() -> Ipv4.parse("192.168.1.256")).hasMessageContaining("octet 256 is above 255");
        assertThatThrownBy(() -> Ipv4.parse("192.168.01.1")).hasMessageContaining("bad octet '01'");
        assertThatThrownBy(() -> Ipv4.parse("example.org")).hasMessageContaining("is not an IPv4 address");
        assertThat(Ipv4.lastOctet(Ipv4.parse("192.168.1.106"))).isEqualTo(106);
    }

    @Property
    void addressesRoundTrip(@ForAll int value) {
        Inet4Address a = Ipv4.fromInt(value);
        assertThat(Ipv4.parse(Ipv4.format(a))).isEqualTo(a);
        assertThat(Ipv4.toInt(a)).isEqualTo(value);
    }

    @Property
    void cidrRoundTripsAndContainsItsHosts(@ForAll int value, @ForAll @IntRange(min = 0, max = 32) int prefix) {
        Ipv4Network n = Ipv4Network.containing(Ipv4.fromInt(value), prefix);
        assertThat(Ipv4Network.parse(n.toString())).isEqualTo(n);
        assertThat(Ipv4Network.parse(Ipv4.format(n.network()) + " " + Ipv4.format(n.netmask()))).isEqualTo(n);
        assertThat(n.contains(Ipv4.fromInt(value))).isTrue();
        assertThat(n.contains(n.broadcast())).isTrue();
        if (prefix > 0) {
            assertThat(n.contains(Ipv4.plus(n.broadcast(), 1))).isFalse();
        }
    }
}
