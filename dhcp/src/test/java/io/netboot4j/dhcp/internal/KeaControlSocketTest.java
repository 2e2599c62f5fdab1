package io.netboot4j.dhcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kea control-socket client against a stand-in socket: Kea's answers for success, failure, silence. */
class KeaControlSocketTest {

    @TempDir
    Path tmp;

    /** Released once the client gave up on a silent stand-in. */
    private final java.util.concurrent.CountDownLatch gaveUp = new java.util.concurrent.CountDownLatch(1);

    /** Accepts one connection, reads the command, answers {@code answer} (null: answers nothing and keeps the connection open). */
    private Thread kea(ServerSocketChannel server, String answer, AtomicReference<String> got) {
        return Thread.ofVirtual().start(() -> {
            try (SocketChannel c = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(1024);
                c.read(in);
                got.set(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                if (answer == null) {
                    gaveUp.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return;
                }
                c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | InterruptedException e) {
                // the test ended
            }
        });
    }

    private ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        return s;
    }

    @Test
    void successFailureAndSilence() throws Exception {
        AtomicReference<String> got = new AtomicReference<>();
        Path socket = tmp.resolve("k.sock");
        try (ServerSocketChannel server = listen(socket)) {
            kea(server, "{ \"result\": 0, \"text\": \"Configuration successful.\" }", got);
            assertThat(KeaControlSocket.command(socket, "config-reload", Duration.ofSeconds(10))).contains("Configuration successful.");
            assertThat(got.get()).isEqualTo("{ \"command\": \"config-reload\" }");

            kea(server, "{ \"result\": 1, \"text\": \"Config reload failed: no such interface\" }", got);
            assertThatThrownBy(() -> KeaControlSocket.command(socket, "config-reload", Duration.ofSeconds(10)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("kea-dhcp4 refused 'config-reload' on " + socket
                            + ": { \"result\": 1, \"text\": \"Config reload failed: no such interface\" }");

            kea(server, null, got);
            assertThatThrownBy(() -> KeaControlSocket.command(socket, "config-reload", Duration.ofMillis(300)))
                    .hasMessage("kea-dhcp4 did not answer 'config-reload' on " + socket + " within PT0.3S");
            gaveUp.countDown();
        }
        assertThatThrownBy(() -> KeaControlSocket.command(tmp.resolve("none.sock"), "config-reload", Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class);
    }
}
