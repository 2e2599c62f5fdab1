package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.Ipv4;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /etc/default/tftpd-hpa is sourced by a shell: its values cannot quote, expand or end a line. */
class TftpdHpaConfigEscapingTest {

    @Test
    void directoriesAndOptionsWithQuotesSemicolonsBracesOrNewlinesAreRejected() {
        for (String h : List.of("\"", "'", ";", "{", "}", "\n", "$(reboot)", "`reboot`", "\\")) {
            assertThatThrownBy(() -> new TftpdHpaConfig(Path.of("/srv/tftp" + h), Ipv4.parse("10.0.0.1"), 69, "tftp", List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tftpd-hpa directory");
            assertThatThrownBy(() -> new TftpdHpaConfig(Path.of("/srv/tftp"), Ipv4.parse("10.0.0.1"), 69, "tftp",
                    List.of("--secure" + h))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tftpd-hpa option");
        }
        assertThat(TftpdHpaConfig.debian(Path.of("/srv/tftp"), Ipv4.parse("10.0.0.1")).defaultsFile())
                .contains("TFTP_DIRECTORY=\"/srv/tftp\"");
    }
}
