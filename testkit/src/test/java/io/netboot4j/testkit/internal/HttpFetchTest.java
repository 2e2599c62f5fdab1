package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.net.NetworkSeam;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The simulated iPXE's HTTP fetch against a scripted server. */
class HttpFetchTest {

    @Test
    void aBusyServersRetryAfterIsHonouredOnANewConnectionAsIpxeDoes() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket c = server.accept()) {
                        connections.incrementAndGet();
                        c.getInputStream().read(new byte[4096]);
                        OutputStream out = c.getOutputStream();
                        out.write((i == 0
                                ? "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 24\r\n\r\n503 Service Unavailable\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            TftpFetch.Result r = HttpFetch.get(NetworkSeam.host(), Ipv4.parse("127.0.0.1"),
                    "http://127.0.0.1:" + server.getLocalPort() + "/initrd.img", new Impairment(0, Duration.ZERO, 1, 0));
            CRC32C crc = new CRC32C();
            crc.update(body);
            assertThat(r.ok()).as(r.failure()).isTrue();
            assertThat(r.size()).isEqualTo(10);
            assertThat(r.crc32c()).isEqualTo(crc.getValue());
            assertThat(r.retransmissions()).isEqualTo(1);
            assertThat(connections).hasValue(2);
        }
    }

    @Test
    void anotherStatusFailsTheFetchNamingIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket c = server.accept()) {
                    c.getInputStream().read(new byte[4096]);
                    c.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    // the test fails on the result
                }
            });
            TftpFetch.Result r = HttpFetch.get(NetworkSeam.host(), Ipv4.parse("127.0.0.1"),
                    "http://127.0.0.1:" + server.getLocalPort() + "/x", new Impairment(0, Duration.ZERO, 1, 0));
            assertThat(r.failure()).isEqualTo("HTTP/1.1 404 Not Found");
        }
    }
}
