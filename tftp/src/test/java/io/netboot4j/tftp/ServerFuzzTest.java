package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live server hit by mutated and random datagrams keeps serving, and counts what it dropped. */
class ServerFuzzTest {

    @TempDir
    Path root;

    @Test
    void survivesFiftyThousandBadDatagramsAndStillServes() throws Exception {
        byte[] content = new byte[3000];
        new Random(1).nextBytes(content);
        Files.write(root.resolve("f.bin"), content);
        try (TftpServer server = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sessionTimeout(Duration.ofMillis(300)).retransmitTimeout(Duration.ofMillis(100))
                .maxTransfers(64).build();
             RawClient c = new RawClient()) {
            server.start();
            Random r = new Random(99);
            byte[] valid = RawClient.request(1, "f.bin", "octet", Map.of("blksize", "1024", "tsize", "0"));
            int sent = 0;
            for (int i = 0; i < 50_000; i++) {
                byte[] p;
                if (r.nextBoolean()) {
                    p = new byte[r.nextInt(80)];
                    r.nextBytes(p);
                    if (p.length > 1 && r.nextBoolean()) {
                        p[0] = 0; // plausible opcodes more often
                        p[1] = (byte) r.nextInt(8);
                    }
                } else {
                    p = valid.clone();
                    for (int k = r.nextInt(4); k >= 0; k--) {
                        p[r.nextInt(p.length)] = (byte) r.nextInt(256);
                    }
                }
                c.send(p, server.localAddress());
                sent++;
                if (i % 500 == 0) {
                    while (c.receive(1) != null) {
                        // drain replies so the socket buffer does not fill
                    }
                }
            }
            while (c.receive(50) != null) {
                // drain
            }
            assertThat(sent).isEqualTo(50_000);
            // still serving a well-behaved client
            int goodRequests = 0;
            try (RawClient good = new RawClient()) {
                // like any real client, send the request again until answered: the flood may
                // still fill the listening socket's buffer
                RawClient.Packet first = null;
                for (int i = 0; i < 20 && first == null; i++) {
                    good.send(RawClient.request(1, "f.bin", "octet", Map.of()), server.localAddress());
                    goodRequests++;
                    first = good.receive(1000);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    RawClient.Packet p = first != null ? first : good.receive(3000);
                    first = null;
                    assertThat(p).isNotNull();
                    assertThat(p.opcode()).as(p.toString()).isEqualTo(3);
                    out.write(p.data(), 4, p.payload());
                    good.send(RawClient.ack(p.block()), p.from());
                    if (p.payload() < 512) {
                        break;
                    }
                }
                assertThat(out.toByteArray()).isEqualTo(content);
            }
            TftpStatistics s = server.statistics();
            assertThat(s.malformed()).isPositive();
            // every datagram is counted at most once: the flood, and each request of the good
            // client (one it repeated may have been turned away as busy before one was served)
            assertThat(s.requests() + s.malformed() + s.busy()).isLessThanOrEqualTo(50_000 + goodRequests);
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.statistics().active() > 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(server.statistics().active()).as("every abandoned transfer ended").isZero();
        }
    }
}
