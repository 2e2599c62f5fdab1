package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known nodes first: the server spends the head node's budget ({@link Admission}) on nodes
 * before anyone else, over loopback where 127.0.0.2 and 127.0.0.3 are the nodes.
 */
class TftpAdmissionTest {

    private static final int REPLY_MILLIS = 15_000;
    static final InetAddress NODE1 = Ipv4.parse("127.0.0.2");
    static final InetAddress NODE2 = Ipv4.parse("127.0.0.3");
    static final InetAddress STRANGER = Ipv4.parse("127.0.0.9");

    @TempDir
    Path root;
    TftpServer server;
    InetSocketAddress address;
    Admission admission;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();
    final List<RawClient> clients = new ArrayList<>();
    byte[] data;

    private void start(Consumer<HeadBudget.Builder> budget) throws IOException {
        data = new byte[200_000];
        new Random(13).nextBytes(data);
        Files.write(root.resolve("pxelinux.0"), data);
        Cluster cluster = Cluster.builder("lab")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("n1", "52:54:00:00:00:01", "127.0.0.2")
                .node("n2", "52:54:00:00:00:02", "127.0.0.3")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/srv/root"))
                .budget(budget)
                .build();
        admission = Admission.of(cluster, Clock.systemUTC());
        server = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .retransmitTimeout(Duration.ofMillis(300)).maxRetransmitTimeout(Duration.ofMillis(600))
                .sessionTimeout(Duration.ofSeconds(3))
                .admission(admission)
                .events(events::add).build();
        server.start();
        address = server.localAddress();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (server != null) {
            server.close();
        }
    }

    private RawClient client(InetAddress from) throws IOException {
        RawClient c = new RawClient(from);
        clients.add(c);
        return c;
    }

    private static byte[] rrq(Map<String, String> options) {
        return RawClient.request(1, "pxelinux.0", "octet", options);
    }

    /** Reads the whole file lock-step with {@code blksize 1428}. */
    private byte[] fetch(RawClient c) throws IOException {
        c.send(rrq(Map.of("blksize", "1428")), address);
        RawClient.Packet p = c.receive(REPLY_MILLIS);
        assertThat(p).as("an answer to the request").isNotNull();
        assertThat(p.opcode()).as(p.toString()).isEqualTo(6);
        c.send(RawClient.ack(0), p.from());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int expected = 1;
        while (true) {
            p = c.receive(REPLY_MILLIS);
            assertThat(p).as("block " + expected).isNotNull();
            if (p.opcode() != 3 || p.block() != (expected & 0xFFFF)) {
                continue; // a retransmission of the last block
            }
            out.write(p.data(), 4, p.payload());
            c.send(RawClient.ack(p.block()), p.from());
            expected++;
            if (p.payload() < 1428) {
                return out.toByteArray();
            }
        }
    }

    @Test
    void unknownSourcesAreDroppedBeforeDecodingCountedAndReportedOnce() throws IOException {
        start(b -> { });
        RawClient stranger = client(STRANGER);
        for (int i = 0; i < FloodWatch.THRESHOLD + 50; i++) {
            stranger.send(i % 2 == 0 ? rrq(Map.of()) : new byte[] {(byte) i, 1, 2}, address);
        }
        assertThat(fetch(client(NODE1))).isEqualTo(data);
        assertThat(stranger.receive(200)).as("no answer to a stranger").isNull();
        TftpStatistics s = server.statistics();
        assertThat(s.rejected()).isEqualTo(FloodWatch.THRESHOLD + 50);
        assertThat(s.malformed()).isZero();
        assertThat(s.requests()).isEqualTo(1);
        assertThat(events).filteredOn(BootEvent.FloodSuspected.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((BootEvent.FloodSuspected) e).source()).isEqualTo(STRANGER));
    }

    @Test
    void oneSourceFromManyPortsHoldsItsOwnLimitAndTheNeighbourIsServed() throws IOException {
        start(b -> b.transfers(8).perNode(new HeadBudget.SourceLimit(2, 2, 1000)));
        // a node gone wild: requests from 20 ports, a huge block size, never acknowledges
        int answered = 0;
        List<RawClient> wild = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawClient c = client(NODE1);
            wild.add(c);
            c.send(rrq(Map.of("blksize", "65464", "windowsize", "64")), address);
        }
        assertThat(wild.getFirst().receive(REPLY_MILLIS)).as("the first request is served").isNotNull();
        answered++;
        for (RawClient c : wild.subList(1, wild.size())) {
            answered += c.receive(100) != null ? 1 : 0;
        }
        assertThat(answered).as("transfers granted to the wild node").isEqualTo(2);
        assertThat(server.statistics().busy()).isEqualTo(18);
        assertThat(fetch(client(NODE2))).as("the neighbour's file").isEqualTo(data);
    }

    @Test
    void aRequestOverTheLimitWaitsForASlotAndNothingRunningFails() throws IOException {
        start(b -> b.perNode(new HeadBudget.SourceLimit(1, 1, 1000)));
        RawClient first = client(NODE1);
        first.send(rrq(Map.of("blksize", "1428")), address);
        RawClient.Packet oack = first.receive(REPLY_MILLIS);
        assertThat(oack).isNotNull();
        RawClient second = client(NODE1);
        second.send(rrq(Map.of("blksize", "1428")), address);
        assertThat(second.receive(500)).as("no slot: no answer, the client retransmits").isNull();
        // the first transfer goes on undisturbed
        first.send(RawClient.ack(0), oack.from());
        RawClient.Packet block1 = first.receive(REPLY_MILLIS);
        while (block1 != null && block1.opcode() == 6) {
            block1 = first.receive(REPLY_MILLIS); // a retransmitted OACK sent before our ACK arrived
        }
        assertThat(block1.opcode()).isEqualTo(3);
        assertThat(block1.block()).isEqualTo(1);
        // the first client gives up; the retransmitted request of the second gets the slot
        first.send(new byte[] {0, 5, 0, 0, 'x', 0}, oack.from());
        RawClient.Packet answer = null;
        for (int i = 0; i < 30 && answer == null; i++) {
            second.send(rrq(Map.of("blksize", "1428")), address);
            answer = second.receive(500);
        }
        assertThat(answer).as("served after a retransmission").isNotNull();
        assertThat(answer.opcode()).isEqualTo(6);
        assertThat(server.statistics().busy()).isPositive();
        assertThat(admission.counters().refusedSourceLimit()).isPositive();
    }

    @Test
    void theWindowShrinksWhenTheInFlightBudgetIsSpentAndTheSharedPartWaits() throws IOException {
        start(b -> b.inFlightBytes(65536).perNode(new HeadBudget.SourceLimit(4, 4, 1000)));
        RawClient c = client(NODE1);
        c.send(rrq(Map.of("blksize", "1428", "windowsize", "16")), address);
        RawClient.Packet oack = c.receive(REPLY_MILLIS);
        assertThat(oack.opcode()).isEqualTo(6);
        // the node's own transfer holds its receive buffer beside the budget; 16 blocks fit in it
        assertThat(text(oack)).contains("windowsize\u000016\u0000");
        RawClient big = client(NODE2);
        big.send(rrq(Map.of("blksize", "1428", "windowsize", "64")), address);
        RawClient.Packet oack2 = big.receive(REPLY_MILLIS);
        assertThat(text(oack2)).as("64 blocks do not fit in what is left").contains("windowsize\u00001\u0000");
        RawClient more = client(NODE1);
        more.send(rrq(Map.of()), address);
        assertThat(more.receive(500)).as("a second transfer needs bytes from the spent budget").isNull();
        assertThat(admission.counters().refusedBudget()).isEqualTo(2);
    }

    private static String text(RawClient.Packet p) {
        return new String(p.data(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
