package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** dhcpd.conf strings reject what would end them; Kea's JSON strings escape it. */
class ConfigEscapingTest {

    @Test
    void dhcpdConfStringsRejectQuotesSemicolonsBracesAndNewlines() {
        for (String h : List.of("a\"b", "a;b", "a{b", "a}b", "a\nb", "a\\b", "a$b", "a#b")) {
            assertThatThrownBy(() -> DhcpdConfig.quoted(h)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dhcpd.conf value");
        }
        assertThat(DhcpdConfig.quoted("192.168.1.1:/nfsroot/kerrighed,vers=3")).isEqualTo("\"192.168.1.1:/nfsroot/kerrighed,vers=3\"");
    }

    @Test
    void keaJsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(KeaConfig.str("a\"b;{c}\nd\\e")).isEqualTo("\"a\\\"b;{c}\\u000ad\\\\e\"");
    }
}
