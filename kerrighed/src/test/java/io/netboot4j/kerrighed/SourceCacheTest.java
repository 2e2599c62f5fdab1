package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.kerrighed.internal.SourceCache;
import java.io.IOException;
import java.net.InetAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching over http from a local server into the pinned cache. */
class SourceCacheTest {

    @TempDir
    Path tmp;

    private ServerSocket http;
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] body = "a stand-in kerrighed-2.4.1.tar.gz\n".repeat(1000).getBytes();

    /** A minimal HTTP/1.1 server on 127.0.0.1: the archive, a redirect to it, 404 otherwise. */
    @BeforeEach
    void serve() throws IOException {
        http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!http.isClosed()) {
                try (Socket s = http.accept()) {
                    answer(s);
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        });
    }

    private void answer(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String request = in.readLine();
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            // headers ignored
        }
        String path = request == null ? "" : request.split(" ")[1];
        OutputStream out = s.getOutputStream();
        if (path.equals("/frs/download.php/23356/kerrighed-2.4.1.tar.gz")) {
            requests.incrementAndGet();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        } else if (path.equals("/moved")) {
            out.write("HTTP/1.1 302 Found\r\nLocation: /frs/download.php/23356/kerrighed-2.4.1.tar.gz\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.getLocalPort() + path);
    }

    @Test
    void fetchesOverHttpOnceAndChecksThePin() throws Exception {
        Files.write(tmp.resolve("expected"), body);
        String pin = SourceCache.sha256(tmp.resolve("expected"));
        SourceArchive a = SourceArchive.KERRIGHED_2_4_1.from(uri("/moved")).pinned(pin.toUpperCase());
        SourceCache cache = new SourceCache(tmp.resolve("cache"));
        Path got = cache.fetch(a);
        assertThat(got).isEqualTo(tmp.resolve("cache/kerrighed-2.4.1.tar.gz")).hasBinaryContent(body);
        assertThat(cache.fetch(a)).isEqualTo(got);
        assertThat(requests).hasValue(1);
        // A cached copy that no longer matches is fetched again.
        Files.writeString(got, "tampered");
        assertThat(cache.fetch(a)).hasBinaryContent(body);
        assertThat(requests).hasValue(2);
        try (var s = Files.list(tmp.resolve("cache"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("kerrighed-2.4.1.tar.gz");
        }
    }

    @Test
    void httpErrorIsNamed() {
        SourceArchive a = SourceArchive.KERRIGHED_2_4_1.from(uri("/gone.tar.gz")).pinned("0".repeat(64));
        assertThatThrownBy(() -> new SourceCache(tmp.resolve("cache")).fetch(a)).isInstanceOf(IOException.class)
                .hasMessage("cannot fetch " + uri("/gone.tar.gz") + ": HTTP status 404");
    }

    @Test
    void archiveValuesAreChecked() {
        assertThatThrownBy(() -> SourceArchive.KERRIGHED_2_4_1.pinned("abc"))
                .hasMessage("SHA-256 'abc' of kerrighed-2.4.1.tar.gz must be 64 hex digits");
        assertThatThrownBy(() -> SourceArchive.KERRIGHED_2_4_1.from(URI.create("ftp://x/y")))
                .hasMessage("archive URI 'ftp://x/y' must be http, https or file");
        assertThatThrownBy(() -> new SourceArchive("../x", URI.create("file:/x"), java.util.Optional.empty()))
                .hasMessage("archive file name '../x' must be a plain file name");
        assertThat(SourceArchive.LINUX_2_6_20.uri()).hasToString("http://www.kernel.org/pub/linux/kernel/v2.6/linux-2.6.20.tar.bz2");
        assertThat(Guide.text()).contains(SourceArchive.LINUX_2_6_20.uri().toString(), SourceArchive.KERRIGHED_2_4_1.uri().toString());
    }
}
