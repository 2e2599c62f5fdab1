package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.BootEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against a packet-level client: protocol rules one by one. */
class TftpServerTest {

    /** How long to wait for a reply that must come: a safety net for loaded machines, not a speed check. */
    private static final int REPLY_MILLIS = 15_000;

    @TempDir
    Path root;
    TftpServer server;
    InetSocketAddress address;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();
    byte[] data;

    @BeforeEach
    void start() throws IOException {
        data = new byte[10_000];
        new Random(7).nextBytes(data);
        Files.write(root.resolve("data.bin"), data);
        server = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .retransmitTimeout(Duration.ofMillis(300)).maxRetransmitTimeout(Duration.ofMillis(600))
                .sessionTimeout(Duration.ofSeconds(2))
                .events(events::add).build();
        server.start();
        address = server.localAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Reads a whole file lock-step, returning its bytes. */
    private byte[] fetch(RawClient c, String name, Map<String, String> options, int blockSize) throws IOException {
        return fetch(c, address, name, options, blockSize);
    }

    private byte[] fetch(RawClient c, InetSocketAddress to, String name, Map<String, String> options, int blockSize)
            throws IOException {
        c.send(RawClient.request(1, name, "octet", options), to);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RawClient.Packet p = c.receive(REPLY_MILLIS);
        assertThat(p).isNotNull();
        if (p.opcode() == 6) {
            c.send(RawClient.ack(0), p.from());
            p = c.receive(REPLY_MILLIS);
        }
        int expected = 1;
        while (true) {
            assertThat(p).as("packet for block " + expected).isNotNull();
            assertThat(p.opcode()).as(p.toString()).isEqualTo(3);
            if (p.block() == ((expected - 1) & 0xFFFF)) {
                // the previous block sent again (the server's timer beat our ACK on a busy host): have it
                p = c.receive(REPLY_MILLIS);
                continue;
            }
            assertThat(p.block()).isEqualTo(expected & 0xFFFF);
            out.write(p.data(), 4, p.payload());
            c.send(RawClient.ack(p.block()), p.from());
            if (p.payload() < blockSize) {
                return out.toByteArray();
            }
            expected++;
            p = c.receive(REPLY_MILLIS);
        }
    }

    @Test
    void servesAFileLockStepWithoutOptions() throws Exception {
        try (RawClient c = new RawClient()) {
            assertThat(fetch(c, "data.bin", Map.of(), 512)).isEqualTo(data);
        }
        awaitEvents(1);
        assertThat(events.getFirst()).isInstanceOfSatisfying(BootEvent.FileSent.class, e -> {
            assertThat(e.file()).isEqualTo("data.bin");
            assertThat(e.bytes()).isEqualTo(data.length);
            assertThat(e.address().isLoopbackAddress()).isTrue();
        });
        assertThat(server.statistics().completed()).isEqualTo(1);
    }

    @Test
    void answersOptionsInAnOackInTheClientsOrderIgnoringUnknownOnes() throws Exception {
        try (RawClient c = new RawClient()) {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("tsize", "0");
            options.put("x-unknown", "1");
            options.put("BLKSIZE", "1000");
            options.put("timeout", "3");
            c.send(RawClient.request(1, "data.bin", "octet", options), address);
            RawClient.Packet p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).isEqualTo(6);
            assertThat(new String(p.data(), 2, p.data().length - 2, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("tsize\0" + data.length + "\0blksize\0001000\0timeout\0003\0");
            c.send(RawClient.ack(0), p.from());
            RawClient.Packet d = c.receive(REPLY_MILLIS);
            assertThat(d.opcode()).isEqualTo(3);
            assertThat(d.payload()).isEqualTo(1000);
        }
    }

    @Test
    void grantsBlockSizesWithinRfc2348AndIgnoresOthers() throws Exception {
        try (RawClient c = new RawClient()) {
            assertThat(fetch(c, "data.bin", Map.of("blksize", "8"), 8)).isEqualTo(data);
            c.send(RawClient.request(1, "data.bin", "octet", Map.of("blksize", "7")), address);
            RawClient.Packet p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).as("blksize 7 is not acknowledged: data at once").isEqualTo(3);
            assertThat(p.payload()).isEqualTo(512);
            c.send(RawClient.ack(1), p.from());
        }
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of("blksize", "70000")), address);
            RawClient.Packet p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).isEqualTo(6);
            assertThat(new String(p.data(), 2, p.data().length - 2)).isEqualTo("blksize\u000065464\u0000");
        }
    }

    @Test
    void sendsAWholeWindowBeforeWaitingWithWindowsize() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of("windowsize", "4", "blksize", "1000")), address);
            RawClient.Packet oack = c.receive(REPLY_MILLIS);
            assertThat(oack.opcode()).isEqualTo(6);
            c.send(RawClient.ack(0), oack.from());
            for (int b = 1; b <= 4; b++) {
                RawClient.Packet p = c.receive(REPLY_MILLIS);
                assertThat(p.opcode()).isEqualTo(3);
                assertThat(p.block()).isEqualTo(b);
            }
            // a short ACK (block 2): the server goes on from block 3 (RFC 7440)
            c.send(RawClient.ack(2), oack.from());
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            int expected = 3;
            int lastAcked = 2;
            while (true) {
                RawClient.Packet p = c.receive(REPLY_MILLIS);
                assertThat(p).isNotNull();
                assertThat(p.block()).isEqualTo(expected);
                rest.write(p.data(), 4, p.payload());
                if (p.payload() < 1000 || expected - lastAcked == 4) {
                    c.send(RawClient.ack(expected), oack.from());
                    lastAcked = expected;
                    if (p.payload() < 1000) {
                        break;
                    }
                }
                expected++;
            }
            assertThat(rest.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 2000, data.length));
        }
    }

    @Test
    void aRepeatedAckSendsNothingNew() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
            RawClient.Packet d1 = c.receive(REPLY_MILLIS);
            c.send(RawClient.ack(1), d1.from());
            c.send(RawClient.ack(1), d1.from());
            c.send(RawClient.ack(1), d1.from());
            RawClient.Packet d2 = c.receive(REPLY_MILLIS);
            assertThat(d2.block()).isEqualTo(2);
            // nothing more until the retransmission timer fires (adapted to the round trip, at least 100 ms)
            RawClient.Packet extra = c.receive(50);
            assertThat(extra).as("a DATA 2 sent again because of a repeated ACK (Sorcerer's Apprentice)").isNull();
            RawClient.Packet again = c.receive(REPLY_MILLIS);
            assertThat(again.block()).as("retransmitted after the timeout").isEqualTo(2);
        }
        assertThat(server.statistics().retransmissions()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLostBlockIsSentAgainAfterTheMeasuredRoundTripNotTheConfiguredTimeout() throws Exception {
        try (TftpServer slow = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .retransmitTimeout(Duration.ofSeconds(4)).maxRetransmitTimeout(Duration.ofSeconds(8)).build();
             RawClient c = new RawClient()) {
            slow.start();
            c.send(RawClient.request(1, "data.bin", "octet", Map.of()), slow.localAddress());
            RawClient.Packet d = c.receive(REPLY_MILLIS);
            for (int block = 1; block < 4; block++) {
                assertThat(d.block()).isEqualTo(block);
                c.send(RawClient.ack(block), d.from());
                d = c.receive(REPLY_MILLIS);
            }
            // DATA 4 "lost": no ACK. The server measured a loopback round trip on blocks 1-3,
            // so it sends DATA 4 again after its floor of 100 ms, long before the configured 4 s.
            long t0 = System.nanoTime();
            RawClient.Packet again = c.receive(3000);
            assertThat(again).as("DATA 4 sent again before the configured 4 s").isNotNull();
            assertThat(again.block()).isEqualTo(4);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(90);
        }
    }

    @Test
    void aStrangerGetsError5AndTheTransferGoesOn() throws Exception {
        try (RawClient c = new RawClient(); RawClient stranger = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
            RawClient.Packet d1 = c.receive(REPLY_MILLIS);
            stranger.send(RawClient.ack(1), d1.from());
            RawClient.Packet err = stranger.receive(REPLY_MILLIS);
            assertThat(err.opcode()).isEqualTo(5);
            assertThat(err.block()).as("error code").isEqualTo(5);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(d1.data(), 4, d1.payload());
            c.send(RawClient.ack(1), d1.from());
            int expected = 2;
            while (true) {
                RawClient.Packet p = c.receive(REPLY_MILLIS);
                if (p.block() != expected) {
                    continue; // a block sent again while we were slow: have it
                }
                expected++;
                out.write(p.data(), 4, p.payload());
                c.send(RawClient.ack(p.block()), p.from());
                if (p.payload() < 512) {
                    break;
                }
            }
            assertThat(out.toByteArray()).isEqualTo(data);
        }
        assertThat(server.statistics().wrongTid()).isEqualTo(1);
    }

    @Test
    void aSilentClientsTransferEndsAndIsFreed() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
            assertThat(c.receive(REPLY_MILLIS).opcode()).isEqualTo(3);
            awaitEvents(1);
        }
        assertThat(events.getFirst()).isInstanceOfSatisfying(BootEvent.FileFailed.class,
                e -> assertThat(e.reason()).contains("silent"));
        assertThat(server.statistics().active()).isZero();
        assertThat(server.statistics().failed()).isEqualTo(1);
    }

    @Test
    void closingTheServerEndsRunningTransfers() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
            assertThat(c.receive(REPLY_MILLIS).opcode()).isEqualTo(3);
            server.close();
            awaitEvents(1);
        }
        assertThat(events.getFirst()).isInstanceOfSatisfying(BootEvent.FileFailed.class,
                e -> assertThat(e.reason()).isEqualTo("server stopped"));
    }

    @Test
    void missingFilesAndBadModesGetErrors() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(1, "nothing.bin", "octet", Map.of()), address);
            RawClient.Packet p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).isEqualTo(5);
            assertThat(p.block()).isEqualTo(1);
            c.send(RawClient.request(1, "data.bin", "mail", Map.of()), address);
            p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).isEqualTo(5);
            assertThat(p.block()).isEqualTo(4);
        }
    }

    @Test
    void writeRequestsAreRefusedByDefault() throws Exception {
        try (RawClient c = new RawClient()) {
            c.send(RawClient.request(2, "new.bin", "octet", Map.of()), address);
            RawClient.Packet p = c.receive(REPLY_MILLIS);
            assertThat(p.opcode()).isEqualTo(5);
            assertThat(p.block()).isEqualTo(2);
            assertThat(p.errorMessage()).contains("uploads are disabled");
        }
        assertThat(root.resolve("new.bin")).doesNotExist();
    }

    @Test
    void aRetransmittedRequestDoesNotStartASecondTransfer() throws Exception {
        try (RawClient c = new RawClient()) {
            byte[] rrq = RawClient.request(1, "data.bin", "octet", Map.of());
            c.send(rrq, address);
            c.send(rrq, address);
            RawClient.Packet d1 = c.receive(REPLY_MILLIS);
            assertThat(d1.block()).isEqualTo(1);
            assertThat(c.receive(150)).as("only one DATA 1").isNull();
        }
        assertThat(server.statistics().requests()).isEqualTo(1);
    }

    @Test
    void concurrentTransfersNeverShareATransferId() throws Exception {
        // with SO_REUSEADDR, Linux may give two ephemeral sockets the same port: 400 transfers
        // at once would then almost surely collide
        // a long session timeout: no transfer may end (and free its port) while the test counts
        List<RawClient> clients = new java.util.ArrayList<>();
        try (TftpServer longLived = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sessionTimeout(Duration.ofMinutes(5)).build()) {
            longLived.start();
            InetSocketAddress address = longLived.localAddress();
            for (int i = 0; i < 400; i++) {
                RawClient c = new RawClient();
                clients.add(c);
                c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
            }
            java.util.Set<Integer> ports = new java.util.HashSet<>();
            for (RawClient c : clients) {
                RawClient.Packet p = null;
                for (int i = 0; i < 5 && p == null; i++) {
                    // short waits: every transfer must still be live (not ended by silence, which
                    // frees its port for reuse) when its first DATA is counted
                    p = c.receive(2000);
                    if (p == null) {
                        c.send(RawClient.request(1, "data.bin", "octet", Map.of()), address);
                    }
                }
                assertThat(p).isNotNull();
                assertThat(p.opcode()).isEqualTo(3);
                ports.add(p.from().getPort());
            }
            assertThat(ports).hasSize(400);
        } finally {
            clients.forEach(RawClient::close);
        }
    }

    @Test
    void transfersCanRunOnPlatformThreads() throws Exception {
        try (TftpServer platform = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .transferThreads(Thread.ofPlatform().daemon().name("test-transfer-", 0).factory()).build();
             RawClient c = new RawClient()) {
            platform.start();
            c.send(RawClient.request(1, "data.bin", "octet", Map.of("blksize", "4096")), platform.localAddress());
            RawClient.Packet oack = c.receive(REPLY_MILLIS);
            assertThat(oack.opcode()).isEqualTo(6);
            c.send(RawClient.ack(0), oack.from());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                RawClient.Packet p = c.receive(REPLY_MILLIS);
                out.write(p.data(), 4, p.payload());
                c.send(RawClient.ack(p.block()), p.from());
                if (p.payload() < 4096) {
                    break;
                }
            }
            assertThat(out.toByteArray()).isEqualTo(data);
        }
    }

    @Test
    void startsOnceAndClosesIdempotently() throws Exception {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void builderChecksItsArguments() {
        assertThatThrownBy(() -> TftpServer.builder().maxBlockSize(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max block size 7 must be between 8 and 65464");
        assertThatThrownBy(() -> TftpServer.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no source");
        assertThatThrownBy(() -> TftpServer.builder().retransmitTimeout(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retransmit timeout");
        assertThatThrownBy(() -> TftpServer.builder().pollBeforeBlocking(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pollBeforeBlocking must be between 0 and 1 s, not PT-0.001S");
        assertThatThrownBy(() -> TftpServer.builder().pollBeforeBlocking(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pollBeforeBlocking must be between 0 and 1 s, not PT2S");
    }

    @Test
    void servesWithAndWithoutPollingBeforeBlocking() throws Exception {
        for (Duration poll : List.of(Duration.ZERO, Duration.ofSeconds(1))) {
            try (TftpServer s = TftpServer.builder().source(TftpSource.folder(root))
                    .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).pollBeforeBlocking(poll).build();
                 RawClient c = new RawClient()) {
                s.start();
                assertThat(fetch(c, s.localAddress(), "data.bin", Map.of("blksize", "1024"), 1024))
                        .as("poll %s", poll).isEqualTo(data);
            }
        }
    }

    private void awaitEvents(int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(n);
    }
}
