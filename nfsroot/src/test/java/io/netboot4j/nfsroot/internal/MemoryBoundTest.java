package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines 4000 READs of 1 MiB and never reads a reply, against the server
 * in a JVM of its own with {@code -Xmx256m}: the server keeps a bounded amount in flight
 * (its connection limit, within the in-flight budget), its live heap and direct memory
 * stay well under the 256 MiB, and another client reads a 3 MiB file byte for byte
 * meanwhile.
 */
@Tag("integration")
class MemoryBoundTest {

    static final int CALLS = 4000;
    static final long MIB = 1 << 20;

    @Test
    void aClientThatNeverReadsRepliesCannotExhaustTheServer() throws Exception {
        Path tmp = Files.createTempDirectory("nb-nfs-mem");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> path = new ArrayList<>();
        for (String p : new String[] {System.getProperty("jdk.module.path"), System.getProperty("java.class.path")}) {
            if (p != null && !p.isBlank()) {
                path.addAll(List.of(p.split(File.pathSeparator)));
            }
        }
        Process server = new ProcessBuilder(java, "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-cp", String.join(File.pathSeparator, path),
                "io.netboot4j.nfsroot.internal.ServerProcess", tmp.toString())
                .redirectError(tmp.resolve("server.err").toFile()).start();
        Socket flood = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintStream control = new PrintStream(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String[] ports = out.readLine().split(" ");
            InetSocketAddress nfs = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports[1]));
            InetSocketAddress mount = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports[3]));
            byte[] file;
            try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire w = RpcWire.tcp(nfs, 0)) {
                RpcWire.Reply r = m.call(Mount3.PROGRAM, 3, Mount3.MNT, 0, new XdrOut().writeString(tmp.resolve("root").toString()).toByteArray());
                assertThat(r.body().readInt()).isZero();
                byte[] root = r.body().readOpaque(64);
                r = w.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(root).writeString("random.bin").toByteArray());
                assertThat(r.body().readInt()).isZero();
                file = r.body().readOpaque(64);
            }

            // The flood: 4000 READs of 1 MiB in one write burst, replies never read.
            flood = new Socket();
            flood.connect(nfs, 5000);
            Socket f = flood;
            byte[] args = new XdrOut().writeOpaque(file).writeLong(0).writeInt((int) MIB).toByteArray();
            Thread sender = Thread.ofPlatform().daemon().start(() -> {
                try {
                    OutputStream o = f.getOutputStream();
                    for (int i = 0; i < CALLS; i++) {
                        byte[] call = RpcWire.call(RpcWire.XID.incrementAndGet(), Nfs3.PROGRAM, 3, Nfs3.READ, 0, 0, args).toByteArray();
                        o.write(ByteBuffer.allocate(4 + call.length).putInt(0x80000000 | call.length).put(call).array());
                    }
                    o.flush();
                } catch (java.io.IOException e) {
                    // blocked until the test closes the socket
                }
            });
            sender.join(3000); // may still be blocked: the server stopped reading, which is the point

            // Meanwhile another client reads the whole file, byte for byte.
            byte[] expected = Files.readAllBytes(tmp.resolve("root/random.bin"));
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            try (RpcWire w = RpcWire.tcp(nfs, 0)) {
                boolean eof = false;
                while (!eof) {
                    RpcWire.Reply r = w.call(Nfs3.PROGRAM, 3, Nfs3.READ, 0,
                            new XdrOut().writeOpaque(file).writeLong(got.size()).writeInt((int) MIB).toByteArray());
                    assertThat(r.body().readInt()).isZero();
                    DirectClient.postOp(r.body());
                    r.body().readInt();
                    eof = r.body().readBoolean();
                    got.write(r.body().readOpaque((int) MIB));
                }
            }
            assertThat(got.toByteArray()).isEqualTo(expected);

            control.println("mem");
            String[] mem = out.readLine().split(" ");
            long liveHeap = Long.parseLong(mem[1]);
            long peakDirect = Long.parseLong(mem[2]);
            long peakInFlight = Long.parseLong(mem[3]);
            long inFlightLimit = Long.parseLong(mem[4]);
            System.out.printf("flood of %d READs: live heap %d MiB, peak direct %d MiB, peak in flight %d MiB (limit %d MiB)%n",
                    CALLS, liveHeap / MIB, peakDirect / MIB, peakInFlight / MIB, inFlightLimit / MIB);
            assertThat(peakInFlight).as("the flood was read until the connection's calls were in flight").isGreaterThan(8 * MIB);
            assertThat(peakInFlight).as("in flight within the budget").isLessThanOrEqualTo(inFlightLimit);
            assertThat(peakInFlight).as("the flood's connection holds at most its calls (and the other client one READ)")
                    .isLessThanOrEqualTo((RpcLimits.CALLS_PER_CONNECTION + 2) * (MIB + 64 * 1024));
            assertThat(liveHeap + peakDirect).as("live heap and direct memory under the 256 MiB").isLessThan(200 * MIB);
            assertThat(server.isAlive()).isTrue();
        } finally {
            if (flood != null) {
                flood.close();
            }
            server.getOutputStream().close();
            server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
            String err = Files.readString(tmp.resolve("server.err"));
            try (Stream<Path> s = Files.walk(tmp)) {
                new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
            }
            assertThat(err).doesNotContain("OutOfMemoryError");
        }
    }
}
