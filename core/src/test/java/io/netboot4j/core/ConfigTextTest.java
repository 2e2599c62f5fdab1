package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.internal.ConfigText;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Nothing that reaches a rendered daemon configuration (dhcpd.conf, Kea JSON, tftpd-hpa
 * defaults, exports, ganesha.conf, pxelinux, GRUB, iPXE) can carry a quote, ';', a brace, a
 * newline, '$', '#' or a backslash: the model rejects it at the setter, naming the value.
 */
class ConfigTextTest {

    static final List<String> HOSTILE = List.of("a\"b", "a'b", "a;b", "a{b", "a}b", "a\nb", "a$b", "a`b", "a\\b", "a#b");

    private static void rejects(String what, Consumer<String> setter) {
        rejects(what, setter, HOSTILE);
    }

    private static void rejects(String what, Consumer<String> setter, List<String> values) {
        for (String h : values) {
            assertThatThrownBy(() -> setter.accept(h)).as("%s %s", what, h.replace("\n", "\\n"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(what);
        }
    }

    @Test
    void everyValueThatIsRenderedIntoAConfigurationRejectsQuotesSemicolonsBracesAndNewlines() {
        rejects("interface name", v -> Cluster.builder("k").network(n -> n.interfaceName(v)));
        rejects("root path", v -> Cluster.builder("k").rootFilesystem(r -> r.path("/srv/" + v)));
        rejects("boot file name", v -> Cluster.builder("k").boot(b -> b.biosBootFile(v)));
        rejects("boot file name", v -> Cluster.builder("k").boot(b -> b.uefiBootFile(v)));
        rejects("boot file name", v -> Cluster.builder("k").boot(b -> b.ipxeBootFile(v)));
        rejects("kernel", v -> Cluster.builder("k").boot(b -> b.kernel(Path.of("/boot/" + v))));
        rejects("initrd", v -> Cluster.builder("k").boot(b -> b.initrd(Path.of("/boot/" + v))));
        // in kernel arguments a newline is white space: it separates two arguments (checked below)
        List<String> inArguments = HOSTILE.stream().filter(h -> !h.contains("\n")).toList();
        rejects("kernel argument", v -> Cluster.builder("k").boot(b -> b.append("console=" + v)), inArguments);
        rejects("kernel argument", v -> Cluster.builder("k").node("n1", "52:54:00:00:00:01", "10.0.0.2", "x=" + v), inArguments);
        Cluster c = Cluster.builder("k").network(n -> n.interfaceName("eth0").subnet("10.0.0.0/24").server("10.0.0.1"))
                .node("n1", "52:54:00:00:00:01", "10.0.0.2").boot(b -> b.kernel(Path.of("/k")).append("quiet\ninit=/bin/sh"))
                .rootFilesystem(r -> r.path("/r")).build();
        assertThat(c.boot().append()).containsExactly("quiet", "init=/bin/sh");
        // host names and domains are RFC 1123 names: no such characters either
        for (String h : HOSTILE) {
            assertThatThrownBy(() -> Cluster.builder("k").node("n" + h, "52:54:00:00:00:01", "10.0.0.2"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Cluster.builder("k").network(n -> n.domain("d" + h))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theMessageNamesTheValueAndTheCharacter() {
        assertThatThrownBy(() -> ConfigText.requireSafe("/srv/a\"b", "root path"))
                .hasMessageStartingWith("root path '/srv/a\"b' must not contain '\"': it is written into daemon configuration files");
        assertThatThrownBy(() -> ConfigText.requireSafe("a\nb", "kernel argument"))
                .hasMessageStartingWith("kernel argument 'a?b' must not contain a control character (such as a newline)");
        assertThat(ConfigText.requireSafe("/nfsroot/kerrighed-2.6_x+y@z=1,2:3", "root path")).isNotNull();
        assertThat(ConfigText.requireSafe("console=ttyS0,115200n8", "kernel argument")).isNotNull();
    }
}
