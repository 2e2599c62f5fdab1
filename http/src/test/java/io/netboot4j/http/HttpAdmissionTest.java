package io.netboot4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known nodes first over HTTP: the server admits connections by the head's budget. curl from
 * a node's address is served while another address floods; a node reconnecting is not
 * refused for its own idle or abandoned connections.
 */
@Tag("integration")
class HttpAdmissionTest {

    private static final String SERVER = "10.94.0.1";
    private static final String NODE = "10.94.0.11";
    private static final String FLOODER = "10.94.0.250";

    @TempDir
    Path work;

    private Cluster cluster(String server, String node, UnaryOperator<HeadBudget.Builder> budget) throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(13).nextBytes(data);
        Path kernel = Files.write(work.resolve("vmlinuz"), data);
        return Cluster.builder("adm")
                .network(n -> n.interfaceName("lo").subnet(server.startsWith("127.") ? "127.0.0.0/8" : "10.94.0.0/24")
                        .server(server))
                .node("node1", "52:54:00:94:00:11", node)
                .boot(b -> b.kernel(kernel))
                .rootFilesystem(r -> r.path("/srv/nfsroot"))
                .budget(budget::apply)
                .build();
    }

    @Test
    void aNodeIsServedWhileAnotherAddressFloodsWithCurl() throws Exception {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("curl"), "curl is not installed: install Debian package curl");
        // unknown sources allowed a small share: 2 connections each, 4 of the 32 together
        Cluster cluster = cluster(SERVER, NODE, b -> b.connections(32)
                .unknownSources(new HeadBudget.SourceLimit(1, 2, 1000)).unknownShare(0.125));
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        try (NetworkNamespace ns = NetworkNamespace.create("nb-http");
             HttpBootServer server = HttpBootServer.builder().tree(PxeBootTree.of(cluster))
                     .address(new InetSocketAddress(InetAddress.getByName(SERVER), 80)).network(ns.seam())
                     .admission(Admission.of(cluster, Clock.systemUTC())).events(events::add).build()) {
            ns.ip("link", "set", "lo", "up");
            for (String a : List.of(SERVER, NODE, FLOODER)) {
                ns.ip("addr", "add", a + "/32", "dev", "lo");
            }
            server.start();
            // the flood: 400 requests, 100 at a time, each client reading at 4 KiB/s (admitted ones hold on)
            List<String> flood = new ArrayList<>(List.of("curl", "-sS", "-Z", "--parallel-immediate", "--parallel-max", "100",
                    "--limit-rate", "4k", "--max-time", "8", "--interface", FLOODER));
            for (int i = 0; i < 400; i++) {
                flood.addAll(List.of("-o", "/dev/null", "http://" + SERVER + "/vmlinuz"));
            }
            Path log = work.resolve("flood.log");
            Process flooder = ns.start(log, flood.toArray(String[]::new));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (server.statistics().refusedConnections() < 200 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(server.statistics().refusedConnections()).as(() -> "flood refused; curl said: "
                        + tail(log)).isGreaterThanOrEqualTo(200);
                assertThat(server.statistics().open()).as("the flooder holds its share only").isLessThanOrEqualTo(2);
                for (int i = 0; i < 3; i++) {
                    Path out = work.resolve("k" + i);
                    CommandResult r = ns.exec(Duration.ofSeconds(30), "curl", "-sS", "--fail", "--interface", NODE,
                            "-o", out.toString(), "http://" + SERVER + "/vmlinuz");
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(Files.mismatch(out, work.resolve("vmlinuz"))).isEqualTo(-1);
                }
            } finally {
                flooder.destroyForcibly().waitFor();
            }
            assertThat(events).filteredOn(e -> e instanceof BootEvent.FileSent f && f.address().getHostAddress().equals(NODE))
                    .hasSize(3);
            assertThat(events).filteredOn(e -> e instanceof BootEvent.FloodSuspected f
                    && f.source().getHostAddress().equals(FLOODER)).hasSize(1);
        }
    }

    @Test
    void unknownSourcesAreClosedWithoutAnAnswerByDefault() throws Exception {
        assumeTrue(Commands.exists("curl"), "curl is not installed: install Debian package curl");
        Cluster cluster = cluster("127.0.0.1", "127.0.0.2", b -> b);
        try (HttpBootServer server = start(cluster)) {
            String url = "http://127.0.0.1:" + server.localAddress().getPort() + "/vmlinuz";
            CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--interface", "127.0.0.9", "-o",
                    work.resolve("x").toString(), url));
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(r.output()).doesNotContain("503");
            r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o",
                    work.resolve("k").toString(), url));
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(server.statistics().refusedConnections()).isEqualTo(1);
            assertThat(server.statistics().filesSent()).isEqualTo(1);
        }
    }

    @Test
    void aNodeReconnectingIsNotRefusedForItsIdleOrAbandonedConnections() throws Exception {
        assumeTrue(Commands.exists("curl"), "curl is not installed: install Debian package curl");
        // one connection per node: the tightest budget, where a reconnect collides with the old connection
        Cluster cluster = cluster("127.0.0.1", "127.0.0.2", b -> b.perNode(new HeadBudget.SourceLimit(1, 1, 50)));
        try (HttpBootServer server = start(cluster)) {
            InetSocketAddress at = server.localAddress();
            String url = "http://127.0.0.1:" + at.getPort() + "/vmlinuz";
            // iPXE's keep-alive connection: one request answered, then left open and idle
            try (Socket kept = node(at)) {
                kept.getOutputStream().write("GET /vmlinuz HTTP/1.1\r\nHost: head\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                readResponse(kept.getInputStream(), 1 << 20);
                CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--fail", "--interface", "127.0.0.2",
                        "-o", work.resolve("a").toString(), url));
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(kept.getInputStream().read()).as("the idle connection was closed for the new one").isEqualTo(-1);
            }
            // a connection the node's firmware opened and abandoned (rebooted): never sends anything
            try (Socket abandoned = node(at)) {
                Thread.sleep(1500);
                CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("curl", "-sS", "--fail", "--interface", "127.0.0.2",
                        "-o", work.resolve("b").toString(), url));
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(Files.mismatch(work.resolve("b"), work.resolve("vmlinuz"))).isEqualTo(-1);
            }
            assertThat(server.statistics().refusedConnections()).isZero();
            assertThat(server.statistics().filesSent()).isEqualTo(3);
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private HttpBootServer start(Cluster cluster) throws IOException {
        HttpBootServer server = HttpBootServer.builder().tree(PxeBootTree.of(cluster))
                .address(new InetSocketAddress("127.0.0.1", 0)).admission(Admission.of(cluster, Clock.systemUTC())).build();
        server.start();
        return server;
    }

    private static Socket node(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.2", 0));
        s.connect(server);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads one response with a body of {@code length} bytes. */
    private static void readResponse(InputStream in, int length) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("response head").isNotNegative();
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200").contains("Content-Length: " + length);
        assertThat(in.readNBytes(length)).hasSize(length);
    }
}
