package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known nodes first for NFS (issue 13): the server listens on 127.0.0.5; the cluster's node
 * is 127.0.0.1, the address libnfs connects from (the loopback route's source), and a
 * hostile client binds 127.0.0.9. The real client reads byte for byte while the stranger
 * is refused before anything is read, counted and reported; a node keeps a connection of
 * its own when strangers took the shared ones; a client that stops reading replies is
 * disconnected after the write timeout and gives back what it held.
 */
@Tag("integration")
class NfsAdmissionTest {

    private static final String SERVER = "127.0.0.5";
    private static final InetAddress STRANGER = loopback(9);

    @TempDir
    Path tmp;
    private Path root;
    private byte[] random;
    private EmbeddedNfsServer server;
    private final List<BootEvent> events = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void tree() throws IOException {
        root = tmp.resolve("root");
        Files.createDirectories(root);
        random = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(13).nextBytes(random);
        Files.write(root.resolve("random.bin"), random);
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void start(Consumer<HeadBudget.Builder> budget) throws Exception {
        Cluster cluster = Cluster.builder("admission")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server(SERVER))
                .node("node1", "02:00:00:00:00:01", "127.0.0.1")
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, 0))
                .budget(budget)
                .build();
        server = new EmbeddedNfsServer(new ServiceContext(cluster, tmp.resolve("work"), events::add, NetworkSeam.host(), Clock.systemUTC()),
                List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash,insecure)")));
        server.start();
    }

    private InetSocketAddress nfs() {
        return server.endpoints().get("nfs");
    }

    /** libnfs's nfs-cp of random.bin from the node's address: byte for byte. */
    private void nodeReadsTheFile() throws Exception {
        assumeTrue(installed(), "needs nfs-cp (Debian package libnfs-utils)");
        Path copy = tmp.resolve("copy-" + System.nanoTime());
        String url = "nfs://" + SERVER + root + "/random.bin?version=3&nfsport=" + nfs().getPort()
                + "&mountport=" + server.endpoints().get("mount").getPort();
        Process p = new ProcessBuilder("nfs-cp", url, copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(random);
    }

    private static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/nfs-cp"));
    }

    /** A TCP connection from the stranger's address; still in the server's backlog or already admitted. */
    private Socket strangerConnects(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(STRANGER, 0));
        s.connect(to, 5000);
        s.setSoTimeout(2000);
        return s;
    }

    /** Sends a NULL call and whether a reply came (false: the server closed the connection). */
    private static boolean answersNull(Socket s) throws IOException {
        byte[] call = RpcWire.call(RpcWire.XID.incrementAndGet(), Nfs3.PROGRAM, 3, Nfs3.NULL, 0, 0, new byte[0]).toByteArray();
        try {
            OutputStream o = s.getOutputStream();
            o.write(ByteBuffer.allocate(4 + call.length).putInt(0x80000000 | call.length).put(call).array());
            o.flush();
            InputStream in = s.getInputStream();
            return in.read() >= 0;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return false; // reset
        }
    }

    @Test
    void strangersAreRefusedCountedAndReportedWhileTheNodeIsServed() throws Exception {
        start(b -> { }); // the default budget: sources that are not nodes are refused
        for (int i = 0; i < 40; i++) {
            assertThat(answersNull(strangerConnects(nfs()))).as("a stranger's connection is closed unread").isFalse();
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(STRANGER, 0))) {
            udp.setSoTimeout(200);
            byte[] call = RpcWire.call(RpcWire.XID.incrementAndGet(), Nfs3.PROGRAM, 3, Nfs3.NULL, 0, 0, new byte[0]).toByteArray();
            for (int i = 0; i < 250; i++) {
                udp.send(new DatagramPacket(call, call.length, server.endpoints().get("nfs-udp")));
            }
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            try {
                udp.receive(reply);
                throw new AssertionError("a stranger's datagram was answered");
            } catch (SocketTimeoutException expected) {
                // dropped
            }
        }
        nodeReadsTheFile();
        assertThat(server.refused()).isGreaterThanOrEqualTo(290);
        assertThat(events).filteredOn(e -> e instanceof BootEvent.FloodSuspected f && f.source().equals(STRANGER))
                .as("the flood is reported once, with its source").hasSize(1);
    }

    @Test
    void aNodeKeepsAConnectionOfItsOwnWhenStrangersTookTheSharedOnes() throws Exception {
        // Two connections in all: the node's own, and one shared, which strangers may have (half the budget).
        start(b -> b.connections(2).unknownSources(new HeadBudget.SourceLimit(0, 64, 1000)).unknownShare(0.5));
        int served = 0;
        for (int i = 0; i < 10; i++) {
            if (answersNull(strangerConnects(nfs()))) {
                served++;
            }
        }
        assertThat(served).as("strangers hold the shared connections (the node's own excluded)").isEqualTo(1);
        nodeReadsTheFile();
        nodeReadsTheFile();
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndGivesBackWhatItHeld() throws Exception {
        System.setProperty("netboot4j.nfs.writeTimeoutMillis", "1000");
        try {
            start(b -> { });
        } finally {
            System.clearProperty("netboot4j.nfs.writeTimeoutMillis");
        }
        byte[] file;
        try (RpcWire m = RpcWire.tcp(server.endpoints().get("mount"), 0); RpcWire w = RpcWire.tcp(nfs(), 0)) {
            RpcWire.Reply r = m.call(Mount3.PROGRAM, 3, Mount3.MNT, 0, new XdrOut().writeString(root.toString()).toByteArray());
            assertThat(r.body().readInt()).isZero();
            byte[] fh = r.body().readOpaque(64);
            r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(fh).writeString("random.bin").toByteArray());
            assertThat(r.body().readInt()).isZero();
            file = r.body().readOpaque(64);
        }
        // A node's connection (127.0.0.1) asks for 200 READs of 1 MiB and never reads a reply.
        Socket s = new Socket();
        sockets.add(s);
        s.setReceiveBufferSize(4096);
        s.connect(nfs(), 5000);
        byte[] args = new XdrOut().writeOpaque(file).writeLong(0).writeInt(1 << 20).toByteArray();
        Thread sender = Thread.ofPlatform().daemon().start(() -> {
            try {
                OutputStream o = s.getOutputStream();
                for (int i = 0; i < 200; i++) {
                    byte[] call = RpcWire.call(RpcWire.XID.incrementAndGet(), Nfs3.PROGRAM, 3, Nfs3.READ, 0, 0, args).toByteArray();
                    o.write(ByteBuffer.allocate(4 + call.length).putInt(0x80000000 | call.length).put(call).array());
                }
            } catch (IOException e) {
                // the server closed the connection
            }
        });
        long most = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.stalledConnections() == 0 && System.nanoTime() < deadline) {
            most = Math.max(most, server.inFlightBytes());
            Thread.sleep(20);
        }
        assertThat(most).as("held for one connection, at most its own budget").isPositive()
                .isLessThanOrEqualTo(server.limits().connectionBytes());
        assertThat(server.stalledConnections()).as("the connection was closed after the write timeout").isEqualTo(1);
        for (int i = 0; i < 250 && server.inFlightBytes() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(server.inFlightBytes()).as("everything it held was given back").isZero();
        sender.join(10_000);
        nodeReadsTheFile();
    }
}
