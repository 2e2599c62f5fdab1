package io.netboot4j.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Request targets to tree names, and every escape refused. */
class RequestPathTest {

    @Test
    void targetsNameTreeFiles() throws Exception {
        assertThat(RequestPath.name("/vmlinuz")).isEqualTo("vmlinuz");
        assertThat(RequestPath.name("/pxelinux.cfg/default?x=1#y")).isEqualTo("pxelinux.cfg/default");
        assertThat(RequestPath.name("/memtest86%2B.bin")).isEqualTo("memtest86+.bin");
        assertThat(RequestPath.name("/a%20b")).isEqualTo("a b");
        assertThat(RequestPath.name("http://10.0.0.1:8080/boot.ipxe")).isEqualTo("boot.ipxe");
        assertThat(RequestPath.name("/caf%C3%A9")).isEqualTo("café");
    }

    @Test
    void escapesAreRefused() {
        for (String t : List.of("/", "", "vmlinuz", "*", "/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/%2E%2e/x",
                "/a/%2e/b", "//etc/passwd", "/a//b", "/a/", "/%2Fetc/passwd", "/a%2fb", "/x%00", "/x%0a", "/a%5c..%5cb",
                "/%c0%ae%c0%ae/x", "/%", "/%4", "/%zz", "/é", "http://host", "/.")) {
            assertThatThrownBy(() -> RequestPath.name(t)).as(t).isInstanceOf(RequestPath.Refused.class);
        }
    }

    @Property
    void anyAcceptedNameIsRelativeAndHasNoDotComponents(@ForAll String target) {
        String name;
        try {
            name = RequestPath.name("/" + target);
        } catch (RequestPath.Refused e) {
            return;
        }
        assertThat(name).doesNotStartWith("/").doesNotContain("\\").doesNotContain("\0");
        assertThat(List.of(name.split("/", -1))).doesNotContain("..", ".", "");
    }
}
