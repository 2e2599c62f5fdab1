package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The RPC layer over real sockets: transports, portmapper, version mismatches, the duplicate-request cache. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RpcWireTest {

    Path tmp;
    EmbeddedNfsServer server;
    InetSocketAddress nfs;
    InetSocketAddress mount;
    InetSocketAddress portmap;

    static EmbeddedNfsServer start(Path tmp, String rule) throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.write(root.resolve("big.bin"), new byte[100_000]);
        byte[] random = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(42).nextBytes(random);
        Files.write(root.resolve("random.bin"), random);
        Cluster cluster = Cluster.builder("wire")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                .budget(x -> x.unknownSources(new io.netboot4j.core.HeadBudget.SourceLimit(0, 64, 1000))) // clients of 127.0.0.1
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, 0))
                .build();
        EmbeddedNfsServer s = new EmbeddedNfsServer(new ServiceContext(cluster, tmp.resolve("work"), e -> { },
                NetworkSeam.host(), Clock.systemUTC()), List.of(ExportRule.parse(rule)));
        s.start();
        return s;
    }

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("nb-nfs-wire");
        server = start(tmp, "127.0.0.0/8(rw,no_root_squash,insecure)");
        nfs = server.endpoints().get("nfs");
        mount = server.endpoints().get("mount");
        portmap = server.endpoints().get("portmap");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
    }

    byte[] mountRoot(RpcWire w) throws Exception {
        RpcWire.Reply r = w.call(Mount3.PROGRAM, 3, Mount3.MNT, 0, new XdrOut().writeString(tmp.resolve("root").toString()).toByteArray());
        assertThat(r.acceptStatus()).isZero();
        assertThat(r.body().readInt()).isZero();
        return r.body().readOpaque(64);
    }

    @Test
    void everyProgramAnswersOverTcpAndUdp() throws Exception {
        for (boolean tcp : new boolean[] {true, false}) {
            for (var target : List.of(new int[] {Nfs3.PROGRAM, 3, nfs.getPort()}, new int[] {Mount3.PROGRAM, 3, mount.getPort()},
                    new int[] {Portmap2.PROGRAM, 2, portmap.getPort()})) {
                InetSocketAddress a = new InetSocketAddress("127.0.0.1", target[2]);
                try (RpcWire w = tcp ? RpcWire.tcp(a, 0) : RpcWire.udp(a, 0)) {
                    RpcWire.Reply r = w.call(target[0], target[1], 0, -1, new byte[0]);
                    assertThat(r.accepted()).isTrue();
                    assertThat(r.acceptStatus()).isZero();
                }
            }
        }
    }

    @Test
    void portmapperAnswersGetportAndDumpLikeRpcbind() throws Exception {
        for (boolean tcp : new boolean[] {true, false}) {
            try (RpcWire w = tcp ? RpcWire.tcp(portmap, 0) : RpcWire.udp(portmap, 0)) {
                for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
                    RpcWire.Reply r = w.call(Portmap2.PROGRAM, 2, Portmap2.GETPORT, -1,
                            new XdrOut().writeInt(Nfs3.PROGRAM).writeInt(3).writeInt(proto).writeInt(0).toByteArray());
                    assertThat(r.body().readInt()).isEqualTo(nfs.getPort());
                    r = w.call(Portmap2.PROGRAM, 2, Portmap2.GETPORT, -1,
                            new XdrOut().writeInt(Mount3.PROGRAM).writeInt(3).writeInt(proto).writeInt(0).toByteArray());
                    assertThat(r.body().readInt()).isEqualTo(mount.getPort());
                }
                RpcWire.Reply v2 = w.call(Portmap2.PROGRAM, 2, Portmap2.GETPORT, -1,
                        new XdrOut().writeInt(Nfs3.PROGRAM).writeInt(2).writeInt(6).writeInt(0).toByteArray());
                assertThat(v2.body().readInt()).as("NFS v2 is not advertised").isZero();
                RpcWire.Reply dump = w.call(Portmap2.PROGRAM, 2, Portmap2.DUMP, -1, new byte[0]);
                int entries = 0;
                while (dump.body().readBoolean()) {
                    dump.body().readInt();
                    dump.body().readInt();
                    dump.body().readInt();
                    dump.body().readInt();
                    entries++;
                }
                assertThat(entries).isEqualTo(6);
                // rpcbind v3/v4 callers (mount.nfs) fall back to v2 on PROG_MISMATCH
                RpcWire.Reply v4 = w.call(Portmap2.PROGRAM, 4, 0, -1, new byte[0]);
                assertThat(v4.acceptStatus()).isEqualTo(2);
                assertThat(v4.low()).isEqualTo(2);
                assertThat(v4.high()).isEqualTo(2);
            }
        }
    }

    @Test
    void otherVersionsGetProgMismatch() throws Exception {
        try (RpcWire w = RpcWire.tcp(nfs, 0)) {
            for (int v : new int[] {2, 4}) {
                RpcWire.Reply r = w.call(Nfs3.PROGRAM, v, 0, -1, new byte[0]);
                assertThat(r.acceptStatus()).isEqualTo(2);
                assertThat(r.low()).isEqualTo(3);
                assertThat(r.high()).isEqualTo(3);
            }
            assertThat(w.call(Nfs3.PROGRAM, 3, 22, -1, new byte[0]).acceptStatus()).as("PROC_UNAVAIL").isEqualTo(3);
            assertThat(w.call(100021, 4, 0, -1, new byte[0]).acceptStatus()).as("PROG_UNAVAIL").isEqualTo(1);
            assertThat(w.call(Nfs3.PROGRAM, 3, Nfs3.GETATTR, 0, new byte[] {0, 0, 1}).acceptStatus()).as("GARBAGE_ARGS").isEqualTo(4);
        }
        try (RpcWire w = RpcWire.udp(mount, 0)) {
            RpcWire.Reply r = w.call(Mount3.PROGRAM, 1, 0, -1, new byte[0]);
            assertThat(r.acceptStatus()).isEqualTo(2);
            assertThat(r.low()).isEqualTo(3);
        }
    }

    @Test
    void nfsOverUdp() throws Exception {
        try (RpcWire m = RpcWire.udp(mount, 0); RpcWire w = RpcWire.udp(nfs, 0)) {
            byte[] fh = mountRoot(m);
            RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(fh).writeString("hello.txt").toByteArray());
            assertThat(r.body().readInt()).isZero();
            byte[] file = r.body().readOpaque(64);
            r = w.call(Nfs3.PROGRAM, 3, Nfs3.READ, 0, new XdrOut().writeOpaque(file).writeLong(0).writeInt(32768).toByteArray());
            assertThat(r.body().readInt()).isZero();
            DirectClient.postOp(r.body());
            assertThat(r.body().readInt()).isEqualTo(6);
            assertThat(r.body().readBoolean()).isTrue();
            assertThat(new String(r.body().readOpaque(100))).isEqualTo("hello\n");
            // A READ larger than a datagram is cut to 32 KiB over UDP.
            r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(fh).writeString("big.bin").toByteArray());
            assertThat(r.body().readInt()).isZero();
            byte[] big = r.body().readOpaque(64);
            r = w.call(Nfs3.PROGRAM, 3, Nfs3.READ, 0, new XdrOut().writeOpaque(big).writeLong(0).writeInt(1 << 20).toByteArray());
            assertThat(r.body().readInt()).isZero();
            DirectClient.postOp(r.body());
            assertThat(r.body().readInt()).isEqualTo(Nfs3.MAX_UDP_IO);
            assertThat(r.body().readBoolean()).isFalse();
        }
    }

    @Test
    void largeReadsOverTcpReuseTheirPooledBuffers() throws Exception {
        byte[] expected = Files.readAllBytes(tmp.resolve("root/random.bin"));
        java.util.List<java.nio.ByteBuffer> drained = new java.util.ArrayList<>();
        while (DirectBuffers.pooled() > 0) {
            drained.add(DirectBuffers.take());
        }
        try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire w = RpcWire.tcp(nfs, 0)) {
            byte[] fh = mountRoot(m);
            RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(fh).writeString("random.bin").toByteArray());
            assertThat(r.body().readInt()).isZero();
            byte[] file = r.body().readOpaque(64);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            boolean eof = false;
            for (int i = 0; i < 8 && !eof; i++) {
                r = w.call(Nfs3.PROGRAM, 3, Nfs3.READ, 0, new XdrOut().writeOpaque(file).writeLong(got.size()).writeInt(Nfs3.MAX_IO).toByteArray());
                assertThat(r.body().readInt()).isZero();
                DirectClient.postOp(r.body());
                int n = r.body().readInt();
                eof = r.body().readBoolean();
                got.write(r.body().readOpaque(Nfs3.MAX_IO));
                assertThat(n).isEqualTo(i < 3 ? Nfs3.MAX_IO : 5);
            }
            assertThat(eof).isTrue();
            assertThat(got.toByteArray()).isEqualTo(expected);
        }
        // The transport gives the data buffer back once the socket took the reply: a bounded wait, as a safety net.
        for (int i = 0; i < 500 && DirectBuffers.pooled() == 0; i++) {
            Thread.sleep(10);
        }
        assertThat(DirectBuffers.pooled()).as("READ data buffers returned to the pool").isPositive();
        drained.forEach(DirectBuffers::release);
    }

    @Test
    void handlesSurviveARestartOfTheServer() throws Exception {
        byte[] fh;
        try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire w = RpcWire.tcp(nfs, 0)) {
            byte[] root = mountRoot(m);
            RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(root).writeString("hello.txt").toByteArray());
            assertThat(r.body().readInt()).isZero();
            fh = r.body().readOpaque(64);
        }
        // A second server over the same export, as after a restart of the JVM (no work folder chosen).
        try (EmbeddedNfsServer again = start(tmp, "127.0.0.0/8(rw,no_root_squash,insecure)");
             RpcWire w = RpcWire.tcp(again.endpoints().get("nfs"), 0)) {
            RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.GETATTR, 0, new XdrOut().writeOpaque(fh).toByteArray());
            assertThat(r.body().readInt()).isZero();
            assertThat(DirectClient.fattr(r.body()).size()).isEqualTo(6);
        }
    }

    @Test
    void retransmittedCreateGetsTheSameReply() throws Exception {
        try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire w = RpcWire.tcp(nfs, 0)) {
            byte[] fh = mountRoot(m);
            XdrOut args = new XdrOut().writeOpaque(fh).writeString("once").writeInt(1);
            args.writeFixed(DirectClient.sattr(0644, -1, -1, -1).toByteArray());
            int xid = RpcWire.XID.incrementAndGet();
            byte[] call = RpcWire.call(xid, Nfs3.PROGRAM, 3, Nfs3.CREATE, 0, 0, args.toByteArray()).toByteArray();
            w.sendRaw(call);
            byte[] first = w.receiveBytes();
            w.sendRaw(call);
            byte[] second = w.receiveBytes();
            assertThat(second).isEqualTo(first);
            assertThat(RpcWire.parse(first).body().readInt()).isZero();
            // The same call with a new xid is a new request: GUARDED create of an existing file.
            assertThat(w.call(Nfs3.PROGRAM, 3, Nfs3.CREATE, 0, args.toByteArray()).body().readInt()).isEqualTo(Nfs3.EXIST);
        }
    }

    @Test
    void aRecordLargerThanTheLargestWriteClosesTheConnectionAndIsCounted() throws Exception {
        long before = server.state().malformed();
        try (RpcWire w = RpcWire.tcp(nfs, 0)) {
            w.sendBytes(java.nio.ByteBuffer.allocate(4).putInt(0x80000000 | (DirectBuffers.SIZE + 1)).array());
            assertThat(w.receive(5000)).isNull();
        } catch (java.io.IOException e) {
            assertThat(e).hasMessageContaining("closed");
        }
        assertThat(server.state().malformed()).isEqualTo(before + 1);
        try (RpcWire w = RpcWire.tcp(nfs, 0)) {
            assertThat(w.call(Nfs3.PROGRAM, 3, 0, -1, new byte[0]).acceptStatus()).as("others still served").isZero();
        }
    }

    @Test
    void portmapSetIsRefusedOverUdpAndAcceptedOverTcpFromThisHost() throws Exception {
        byte[] mapping = new XdrOut().writeInt(400_001).writeInt(1).writeInt(Portmap2.IPPROTO_TCP).writeInt(4242).toByteArray();
        byte[] query = new XdrOut().writeInt(400_001).writeInt(1).writeInt(Portmap2.IPPROTO_TCP).writeInt(0).toByteArray();
        try (RpcWire udp = RpcWire.udp(portmap, 0); RpcWire tcp = RpcWire.tcp(portmap, 0)) {
            assertThat(udp.call(Portmap2.PROGRAM, 2, Portmap2.SET, 0, mapping).body().readBoolean())
                    .as("a datagram's source address can be forged: SET over UDP refused").isFalse();
            assertThat(tcp.call(Portmap2.PROGRAM, 2, Portmap2.GETPORT, -1, query).body().readInt()).isZero();
            assertThat(udp.call(Portmap2.PROGRAM, 2, Portmap2.UNSET, 0, mapping).body().readBoolean()).isFalse();
            assertThat(tcp.call(Portmap2.PROGRAM, 2, Portmap2.SET, 0, mapping).body().readBoolean()).isTrue();
            assertThat(tcp.call(Portmap2.PROGRAM, 2, Portmap2.GETPORT, -1, query).body().readInt()).isEqualTo(4242);
            assertThat(udp.call(Portmap2.PROGRAM, 2, Portmap2.UNSET, 0, mapping).body().readBoolean()).isFalse();
            assertThat(tcp.call(Portmap2.PROGRAM, 2, Portmap2.UNSET, 0, mapping).body().readBoolean()).isTrue();
        }
    }

    @Test
    void slowWorkMovesFromTheReaderToAWorker() throws Exception {
        // A call answered on the reader that finds slow work ahead throws MoveToWorker there; elsewhere it runs.
        assertThat(ScopedValue.where(RpcPrograms.ON_READER, Boolean.TRUE).call(() -> {
            try {
                RpcPrograms.slowWorkAhead();
                return "stayed";
            } catch (RpcPrograms.MoveToWorker e) {
                return "moved";
            }
        })).isEqualTo("moved");
        RpcPrograms.slowWorkAhead(); // a worker: nothing thrown
        // Over the wire: a READDIR of a folder never listed, then GETATTR of a handle the index forgot, both answered.
        try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire w = RpcWire.tcp(nfs, 0)) {
            byte[] root = mountRoot(m);
            RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.READDIRPLUS, 0,
                    new XdrOut().writeOpaque(root).writeLong(0).writeFixed(new byte[8]).writeInt(4096).writeInt(65536).toByteArray());
            assertThat(r.body().readInt()).isZero();
        }
    }
}
