package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients through a relay that drops 20% of the datagrams each way: the files still arrive whole. */
@Tag("integration")
class LossyRelayTest {

    @TempDir
    Path work;

    static TftpServer started(Path root) throws java.io.IOException {
        TftpServer server = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .retransmitTimeout(Duration.ofMillis(50))
                // the back-off must outgrow the client's own timeout (1 s here): a client that
                // ignores repeated DATA (atftp) acknowledges again only when its timer fires
                .maxRetransmitTimeout(Duration.ofMillis(2500))
                .sessionTimeout(Duration.ofSeconds(20)).build();
        server.start();
        return server;
    }

    @Test
    void realClientsGetByteIdenticalFilesThroughTwentyPercentLoss() throws Exception {
        Peers.require("atftp", "atftp");
        Peers.require("tftp", "tftp-hpa");
        Path root = Files.createDirectories(work.resolve("root"));
        RealClientsTest.write(root.resolve("data.bin"), 120_000, 11);
        try (TftpServer server = started(root); LossyRelay relay = new LossyRelay(server.localAddress(), 0.2, 42)) {
            String port = Integer.toString(relay.address().getPort());
            List<List<String>> runs = List.of(
                    List.of("atftp", "--tftp-timeout", "1", "--option", "blksize 1468", "--get", "-r", "data.bin", "-l", "OUT", "127.0.0.1", port),
                    List.of("atftp", "--tftp-timeout", "1", "--option", "blksize 1024", "--option", "windowsize 8", "--get", "-r", "data.bin", "-l", "OUT", "127.0.0.1", port));
            int i = 0;
            for (List<String> run : runs) {
                Path out = work.resolve("out" + i++);
                List<String> cmd = new ArrayList<>(run);
                cmd.replaceAll(s -> s.equals("OUT") ? out.toString() : s);
                var r = Peers.run(work, null, 120, cmd.toArray(String[]::new));
                assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
                Peers.assertSameBytes(root.resolve("data.bin"), out);
            }
            // tftp-hpa at 512-byte blocks, retransmitting every second itself
            Path out = work.resolve("out-hpa");
            var r = Peers.run(work, "rexmt 1\ntimeout 120\nget data.bin " + out + "\nquit\n", 150,
                    "tftp", "-m", "binary", "127.0.0.1", port);
            assertThat(r.output()).doesNotContain("Error");
            Peers.assertSameBytes(root.resolve("data.bin"), out);
            assertThat(relay.dropped.get()).as("the relay dropped datagrams").isPositive();
            assertThat(server.statistics().retransmissions()).isPositive();
        }
    }
}
