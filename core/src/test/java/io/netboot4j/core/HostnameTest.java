package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostnameTest {

    @Test
    void acceptsRfc1123NamesAndLowersThem() {
        assertThat(Hostname.parse("KerrighedNode1")).hasToString("kerrighednode1");
        assertThat(Hostname.parse("1node").value()).isEqualTo("1node"); // RFC 1123 allows a leading digit
        assertThat(Hostname.parse("node-1.kerrighed").shortName()).isEqualTo("node-1");
        assertThat(Hostname.isValid("a".repeat(63))).isTrue();
    }

    @Test
    void rejectsInvalidNamesNamingTheRule() {
        assertThatThrownBy(() -> Hostname.parse("-node")).hasMessageContaining("label '-node'");
        assertThatThrownBy(() -> Hostname.parse("node_1")).hasMessageContaining("'node_1' is not valid per RFC 1123");
        assertThatThrownBy(() -> Hostname.parse("a..b")).hasMessageContaining("label ''");
        assertThatThrownBy(() -> Hostname.parse("a".repeat(64))).hasMessageContaining("longer than 63");
        assertThatThrownBy(() -> Hostname.parse("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Hostname.parse(("a".repeat(60) + ".").repeat(5))).hasMessageContaining("longer than 253");
    }
}
