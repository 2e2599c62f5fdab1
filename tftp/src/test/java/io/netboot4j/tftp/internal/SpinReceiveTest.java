package io.netboot4j.tftp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpinReceiveTest {

    private static final long SPIN = 1_000_000;

    private DatagramChannel server;
    private DatagramChannel client;
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);

    @BeforeEach
    void open() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        server = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        client = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        client.close();
    }

    private void sendToServer(String text) throws Exception {
        client.send(ByteBuffer.wrap(text.getBytes()), server.getLocalAddress());
    }

    /** A deadline far enough away that the poll runs its full length. */
    private static long later() {
        return System.nanoTime() + 60_000_000_000L;
    }

    @Test
    void aWaitingPacketIsReturnedWithItsSenderAndTheChannelStaysBlocking() throws Exception {
        sendToServer("ack");
        SpinReceive spin = new SpinReceive(SPIN, () -> 1, 1);
        InetSocketAddress from = null;
        // the packet is on loopback already; a few polls are plenty even on a busy machine
        for (int i = 0; i < 1000 && from == null; i++) {
            from = spin.poll(server, buffer, later(), 1, 512);
        }
        assertThat(from).isEqualTo(client.getLocalAddress());
        assertThat(new String(buffer.array(), 0, buffer.remaining())).isEqualTo("ack");
        assertThat(server.isBlocking()).isTrue();
    }

    @Test
    void withMoreTransfersThanSpareProcessorsItNeverPollsAndLeavesThePacketForTheBlockingReceive() throws Exception {
        sendToServer("ack");
        SpinReceive spin = new SpinReceive(SPIN, () -> 2, 1);
        assertThat(spin.poll(server, buffer, later(), 1, 512)).isNull();
        buffer.clear();
        assertThat(server.receive(buffer)).isEqualTo(client.getLocalAddress());
    }

    @Test
    void aPollLastsWhatAPromptClientNeedsAtMostTheConfiguredDuration() {
        SpinReceive spin = new SpinReceive(1_000_000, () -> 1, 1);
        assertThat(spin.budget(1, 1468)).isEqualTo(100_000 + 14_680);
        assertThat(spin.budget(4, 8192)).isEqualTo(4 * (100_000 + 81_920));
        assertThat(spin.budget(16, 1468)).isEqualTo(1_000_000);
        assertThat(spin.budget(0, 512)).isEqualTo(105_120);
        assertThat(new SpinReceive(50_000, () -> 1, 1).budget(1, 512)).isEqualTo(50_000);
    }

    @Test
    void aZeroDurationNeverPolls() throws Exception {
        sendToServer("ack");
        assertThat(new SpinReceive(0, () -> 1, 1).poll(server, buffer, later(), 1, 512)).isNull();
        buffer.clear();
        assertThat(server.receive(buffer)).isEqualTo(client.getLocalAddress());
    }

    @Test
    void aPastDeadlineEndsThePollAtOnceAndLeavesTheChannelBlocking() throws Exception {
        SpinReceive spin = new SpinReceive(SPIN, () -> 1, 1);
        assertThat(spin.poll(server, buffer, System.nanoTime() - 1, 1, 512)).isNull();
        assertThat(server.isBlocking()).isTrue();
    }

    @Test
    void missesMakeItSkipMoreAndMoreWaitsAndAHitResetsThat() throws Exception {
        AtomicInteger running = new AtomicInteger(1);
        SpinReceive spin = new SpinReceive(SPIN, running::get, 1);
        // first miss: skip 1 wait; a skipped wait does not even look at the running transfers
        assertThat(spin.poll(server, buffer, System.nanoTime() - 1, 1, 512)).isNull();
        running.set(99);
        assertThat(spin.poll(server, buffer, later(), 1, 512)).isNull(); // skipped
        running.set(1);
        // second miss: skip 3 waits
        assertThat(spin.poll(server, buffer, System.nanoTime() - 1, 1, 512)).isNull();
        sendToServer("x");
        for (int i = 0; i < 3; i++) {
            assertThat(spin.poll(server, buffer, later(), 1, 512)).as("skipped wait %d", i).isNull();
        }
        // the next one polls again and finds the packet
        InetSocketAddress from = null;
        for (int i = 0; i < 1000 && from == null; i++) {
            from = spin.poll(server, buffer, later(), 1, 512);
        }
        assertThat(from).isEqualTo(client.getLocalAddress());
        // a hit resets the misses: one miss now skips only one wait
        assertThat(spin.poll(server, buffer, System.nanoTime() - 1, 1, 512)).isNull();
        sendToServer("y");
        assertThat(spin.poll(server, buffer, later(), 1, 512)).isNull(); // the one skipped wait
        from = null;
        for (int i = 0; i < 1000 && from == null; i++) {
            from = spin.poll(server, buffer, later(), 1, 512);
        }
        assertThat(from).isEqualTo(client.getLocalAddress());
    }
}
