package io.netboot4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded HTTP server against curl and wget on loopback: whole files, HEAD, single and
 * multiple ranges, conditional GETs, 404, confinement, keep-alive, and clients that stall.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpRealClientsTest {

    @TempDir
    static Path work;

    private byte[] big;
    private Cluster cluster;
    private PxeBootTree tree;
    private HttpBootServer server;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(Commands.exists("curl"), "curl is not installed: install Debian package curl");
        assumeTrue(Commands.exists("wget"), "wget is not installed: install Debian package wget");
        big = new byte[24 * 1024 * 1024 + 17];
        new Random(14).nextBytes(big);
        Path kernel = Files.write(work.resolve("vmlinuz"), big);
        Path initrd = Files.write(work.resolve("initrd.img"), Arrays.copyOf(big, 1_000_003));
        Path extra = Files.writeString(work.resolve("hello.txt"), "hello\n");
        cluster = Cluster.builder("loop")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "52:54:00:12:34:56", "127.0.0.2")
                .boot(b -> b.kernel(kernel).initrd(initrd).append("console=ttyS0"))
                .rootFilesystem(r -> r.path("/srv/nfsroot").readWrite())
                .build();
        tree = PxeBootTree.builder(cluster).file("sub/dir/hello.txt", extra).build();
        server = HttpBootServer.builder().tree(tree).address(new InetSocketAddress("127.0.0.1", 0))
                .events(events::add).sendTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(1)).build();
        server.start();
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static CommandResult run(String... command) {
        return Commands.run(Duration.ofSeconds(60), List.of(command));
    }

    @Test
    void curlAndWgetGetWholeFilesByteIdenticalAndTheNodeGetsFileSent() throws IOException {
        Path a = work.resolve("a.out");
        CommandResult c = run("curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o", a.toString(), base + "/vmlinuz");
        assertThat(c.exitCode()).as(c.output()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(big);
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.FileSent.class, f -> {
            assertThat(f.file()).isEqualTo("vmlinuz");
            assertThat(f.bytes()).isEqualTo(big.length);
            assertThat(Ipv4.format(f.address())).isEqualTo("127.0.0.2");
            assertThat(f.protocol()).isEqualTo("http");
            assertThat(f.describe()).startsWith("sent vmlinuz (" + big.length + " bytes, ").endsWith(" KiB/s, http)");
        }));
        Path b = work.resolve("b.out");
        CommandResult w = run("wget", "-q", "-O", b.toString(), base + "/sub/dir/hello.txt");
        assertThat(w.exitCode()).as(w.output()).isZero();
        assertThat(Files.readString(b)).isEqualTo("hello\n");
        Path s = work.resolve("script.out");
        assertThat(run("wget", "-q", "-O", s.toString(), base + "/" + cluster.boot().ipxeBootFile()).exitCode()).isZero();
        assertThat(Files.readString(s)).isEqualTo(tree.text(cluster.boot().ipxeBootFile()));
    }

    @Test
    void headGivesLengthAndValidatorsWithoutBody() {
        CommandResult c = run("curl", "-sS", "-I", base + "/vmlinuz");
        assertThat(c.exitCode()).as(c.output()).isZero();
        assertThat(c.output()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + big.length)
                .contains("Accept-Ranges: bytes").containsPattern("ETag: \"[0-9a-f]+-[0-9a-f]+\"")
                .containsPattern("Last-Modified: \\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
        CommandResult w = run("wget", "-S", "--spider", base + "/initrd.img");
        assertThat(w.exitCode()).as(w.output()).isZero();
        assertThat(w.output()).contains("HTTP/1.1 200 OK").contains("Content-Length: 1000003");
    }

    @Test
    void singleAndSuffixAndOpenRangesAreServedAsAsked() throws IOException {
        Path out = work.resolve("r.out");
        CommandResult c = run("curl", "-sS", "-D", "-", "-r", "1000-1999", "-o", out.toString(), base + "/vmlinuz");
        assertThat(c.output()).startsWith("HTTP/1.1 206 Partial Content")
                .contains("Content-Range: bytes 1000-1999/" + big.length).contains("Content-Length: 1000");
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(big, 1000, 2000));
        assertThat(run("curl", "-sS", "-r", "-500", "-o", out.toString(), base + "/vmlinuz").exitCode()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(big, big.length - 500, big.length));
        assertThat(run("curl", "-sS", "-r", (big.length - 10) + "-", "-o", out.toString(), base + "/vmlinuz").exitCode()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOfRange(big, big.length - 10, big.length));
        // wget resumes a partial download with Range: bytes=<size>-
        Path partial = work.resolve("partial.bin");
        Files.write(partial, Arrays.copyOf(big, 5_000_000));
        CommandResult w = run("wget", "-q", "-c", "-O", partial.toString(), base + "/vmlinuz");
        assertThat(w.exitCode()).as(w.output()).isZero();
        assertThat(Files.readAllBytes(partial)).isEqualTo(big);
        CommandResult beyond = run("curl", "-sS", "-D", "-", "-o", "/dev/null", "-r", big.length + "-", base + "/vmlinuz");
        assertThat(beyond.output()).startsWith("HTTP/1.1 416").contains("Content-Range: bytes */" + big.length);
    }

    @Test
    void multipleRangesComeAsMultipartByteranges() throws IOException {
        Path out = work.resolve("m.out");
        CommandResult c = run("curl", "-sS", "-D", "-", "-r", "0-9,5000-5099,-7", "-o", out.toString(), base + "/vmlinuz");
        assertThat(c.exitCode()).as(c.output()).isZero();
        Matcher m = Pattern.compile("Content-Type: multipart/byteranges; boundary=(\\S+)").matcher(c.output());
        assertThat(m.find()).as(c.output()).isTrue();
        String boundary = m.group(1);
        byte[] body = Files.readAllBytes(out);
        assertThat(c.output()).contains("Content-Length: " + body.length);
        List<byte[]> parts = parts(body, boundary);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0)).isEqualTo(Arrays.copyOfRange(big, 0, 10));
        assertThat(parts.get(1)).isEqualTo(Arrays.copyOfRange(big, 5000, 5100));
        assertThat(parts.get(2)).isEqualTo(Arrays.copyOfRange(big, big.length - 7, big.length));
        String text = new String(body, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("Content-Range: bytes 0-9/" + big.length).contains("Content-Range: bytes 5000-5099/" + big.length)
                .endsWith("\r\n--" + boundary + "--\r\n");
    }

    /** The bodies of a multipart/byteranges payload (RFC 9110 section 14.6). */
    private static List<byte[]> parts(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<byte[]> out = new ArrayList<>();
        String delimiter = "\r\n--" + boundary;
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int headEnd = text.indexOf("\r\n\r\n", at + delimiter.length());
            int next = text.indexOf(delimiter, at + delimiter.length());
            if (headEnd < 0 || next < 0 || text.startsWith("--", at + delimiter.length())) {
                break;
            }
            out.add(Arrays.copyOfRange(body, headEnd + 4, next));
            at = next;
        }
        return out;
    }

    @Test
    void conditionalGetsAreAnswered304() throws IOException {
        CommandResult head = run("curl", "-sS", "-I", base + "/initrd.img");
        Matcher etag = Pattern.compile("ETag: (\"[^\"]+\")").matcher(head.output());
        assertThat(etag.find()).isTrue();
        CommandResult inm = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag.group(1),
                base + "/initrd.img");
        assertThat(inm.output()).isEqualTo("304");
        CommandResult other = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: \"nope\"",
                base + "/initrd.img");
        assertThat(other.output()).isEqualTo("200");
        // curl -z sends If-Modified-Since with the file's time; a year-old date gets the file
        CommandResult ims = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-z", "Tue, 01 Dec 2099 00:00:00 GMT",
                base + "/initrd.img");
        assertThat(ims.output()).isEqualTo("304");
        CommandResult old = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-z", "Sun, 06 Nov 1994 08:49:37 GMT",
                base + "/initrd.img");
        assertThat(old.output()).isEqualTo("200");
        // wget -N: the local copy is as new as the server's, so it is not fetched again
        Path dir = Files.createDirectories(work.resolve("mirror"));
        assertThat(run("wget", "-q", "-N", "-P", dir.toString(), base + "/initrd.img").exitCode()).isZero();
        CommandResult again = run("wget", "-N", "-S", "-P", dir.toString(), base + "/initrd.img");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).containsAnyOf("304 Not Modified", "not retrieving");
    }

    @Test
    void unknownNamesAre404AndEscapesAreRefused() {
        assertThat(code(base + "/missing")).isEqualTo("404");
        CommandResult head404 = run("curl", "-sS", "-I", base + "/missing");
        assertThat(head404.output()).startsWith("HTTP/1.1 404").contains("Content-Length: 14");
        assertThat(run("wget", "-q", "-O", "/dev/null", base + "/missing").exitCode()).isEqualTo(8);
        for (String target : List.of("/../etc/passwd", "/sub/../../etc/passwd", "/%2e%2e/etc/passwd",
                "/sub/%2E%2E/%2e%2e/etc/passwd", "/%2Fetc/passwd", "//etc/passwd", "/sub//dir/hello.txt",
                "/./vmlinuz", "/sub/dir/hello.txt%00", "/sub%5c..%5c..%5cetc/passwd", "/%c0%ae%c0%ae/etc/passwd")) {
            CommandResult r = run("curl", "-sS", "--path-as-is", "-o", "-", "-w", "\n%{http_code}", base + target);
            assertThat(r.output()).as(target).endsWith("400").doesNotContain("root:");
        }
        // the host path of a served file is not a name of the tree
        assertThat(code(base + work.resolve("vmlinuz"))).isEqualTo("404");
        assertThat(code(base + "/etc/passwd")).isEqualTo("404");
        assertThat(server.statistics().refused()).isGreaterThanOrEqualTo(11);
    }

    private String code(String url) {
        return run("curl", "-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", url).output();
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() {
        CommandResult c = run("curl", "-sS", "-v", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                base + "/sub/dir/hello.txt", base + "/initrd.img", base + "/missing");
        assertThat(c.output()).contains("Re-using existing connection");
        assertThat(c.output().split("Connected to").length - 1).isEqualTo(1);
        CommandResult http10 = run("curl", "-sS", "-0", "-D", "-", "-o", "/dev/null", base + "/sub/dir/hello.txt");
        assertThat(http10.output()).contains("Connection: close");
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndOthersAreServedMeanwhile() throws Exception {
        long timedOutBefore = server.statistics().timedOut();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(server.localAddress());
            stalled.getOutputStream().write(("GET /vmlinuz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // it reads nothing: meanwhile another client gets the whole file
            Path out = work.resolve("other.out");
            CommandResult c = run("curl", "-sS", "--fail", "-o", out.toString(), base + "/vmlinuz");
            assertThat(c.exitCode()).as(c.output()).isZero();
            assertThat(Files.size(out)).isEqualTo(big.length);
            // after the send timeout the server closes the stalled connection: reading ends early
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.statistics().timedOut() == timedOutBefore && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(server.statistics().timedOut()).isGreaterThan(timedOutBefore);
            long read = drain(stalled.getInputStream());
            assertThat(read).isLessThan(big.length);
        }
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.FileFailed.class,
                f -> assertThat(f.reason()).contains("stalled")));
    }

    @Test
    void withVirtualThreadsFilesAreServedAndAStalledClientIsStillCutOff() throws Exception {
        try (HttpBootServer platform = HttpBootServer.builder().tree(tree).address(new InetSocketAddress("127.0.0.1", 0))
                .connectionThreads(Thread.ofVirtual().factory()).sendTimeout(Duration.ofSeconds(1)).build()) {
            platform.start();
            String url = "http://127.0.0.1:" + platform.localAddress().getPort() + "/vmlinuz";
            try (Socket stalled = new Socket()) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(platform.localAddress());
                stalled.getOutputStream().write(("GET /vmlinuz HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Path out = work.resolve("platform.out");
                CommandResult c = run("curl", "-sS", "--fail", "-r", "0-", "-o", out.toString(), url);
                assertThat(c.exitCode()).as(c.output()).isZero();
                assertThat(Files.readAllBytes(out)).isEqualTo(big);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (platform.statistics().timedOut() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(platform.statistics().timedOut()).isEqualTo(1);
                assertThat(drain(stalled.getInputStream())).isLessThan(big.length);
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedAndMalformedRequestsGet400Or505() throws Exception {
        try (Socket idle = new Socket()) {
            idle.connect(server.localAddress());
            idle.setSoTimeout(30_000);
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(rawStatus("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawStatus("GET /vmlinuz HTTP/2.0\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 505");
        assertThat(rawStatus("GET /vmlinuz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(rawStatus("POST /vmlinuz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 405");
        assertThat(rawStatus("POST /vmlinuz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")).startsWith("HTTP/1.1 405")
                .contains("Connection: close");
        assertThat(rawStatus("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 431");
    }

    @Test
    void connectionsBeyondTheBoundGet503() throws Exception {
        try (HttpBootServer small = HttpBootServer.builder().tree(tree).address(new InetSocketAddress("127.0.0.1", 0))
                .maxConnections(2).build()) {
            small.start();
            try (Socket a = new Socket(); Socket b = new Socket()) {
                a.connect(small.localAddress());
                b.connect(small.localAddress());
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (small.statistics().open() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                CommandResult c = run("curl", "-sS", "-D", "-", "-o", "/dev/null",
                        "http://127.0.0.1:" + small.localAddress().getPort() + "/sub/dir/hello.txt");
                assertThat(c.output()).startsWith("HTTP/1.1 503").contains("Retry-After: 1");
            }
            assertThat(small.statistics().refusedConnections()).isEqualTo(1);
        }
    }

    private String rawStatus(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server.localAddress());
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[512];
            int n = s.getInputStream().read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        }
    }

    private static long drain(InputStream in) {
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // reset by the server: the connection is gone either way
        }
        return total;
    }
}
