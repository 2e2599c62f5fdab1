package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated RPC records: the decoders answer GARBAGE_ARGS or a status, never
 * fail otherwise; the running server answers every well-formed call afterwards.
 */
class MalformedRpcProperties {

    static Path tmp;
    static EmbeddedNfsServer server;
    static ExportState state;
    static byte[] rootFh;

    @BeforeContainer
    static void start() throws Exception {
        tmp = Files.createTempDirectory("nb-nfs-fuzz");
        server = RpcWireTest.start(tmp, "127.0.0.0/8(rw,no_root_squash,insecure)");
        state = new ExportState(tmp.resolve("root"), List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash,insecure)")),
                null, new byte[32], e -> { }, Clock.systemUTC());
        Stat s = Posix.lstat(tmp.resolve("root"));
        state.index().remember(s, tmp.resolve("root"));
        rootFh = state.handle(s);
    }

    @AfterContainer
    static void stop() throws Exception {
        server.close();
        new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
    }

    static final Caller CALLER = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 0, 0);

    @Property(tries = 3000)
    void nfsDecodersOnlyFailWithGarbageArgs(@ForAll @IntRange(min = 1, max = 21) int proc,
                                            @ForAll("arguments") byte[] args) {
        Nfs3 nfs = new Nfs3(state);
        try {
            XdrOut out = nfs.call(proc, new XdrIn(args), CALLER);
            assertThat(out.size()).isGreaterThanOrEqualTo(4);
        } catch (XdrIn.GarbageArgsException e) {
            // expected for most inputs
        }
    }

    @Property(tries = 1000)
    void mountAndPortmapDecodersOnlyFailWithGarbageArgs(@ForAll @IntRange(min = 0, max = 5) int proc,
                                                        @ForAll("arguments") byte[] args) {
        try {
            new Mount3(state).call(proc, new XdrIn(args), CALLER);
        } catch (XdrIn.GarbageArgsException e) {
            // expected
        }
        try {
            new Portmap2().call(proc, new XdrIn(args), false);
        } catch (XdrIn.GarbageArgsException e) {
            // expected
        }
    }

    /** Random bytes, and valid argument prefixes (the root handle, names) followed by random bytes. */
    @Provide
    Arbitrary<byte[]> arguments() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> withHandle = random.map(tail -> {
            XdrOut o = new XdrOut().writeOpaque(rootFh);
            o.writeFixed(tail);
            return o.toByteArray();
        });
        Arbitrary<byte[]> withName = Arbitraries.strings().ofMaxLength(20).flatMap(name -> random.map(tail -> {
            XdrOut o = new XdrOut().writeOpaque(rootFh).writeString("fuzz-" + name.replace('/', '_'));
            o.writeFixed(tail);
            return o.toByteArray();
        }));
        Arbitrary<byte[]> ints = Arbitraries.integers().list().ofMaxSize(40).map(l -> {
            XdrOut o = new XdrOut();
            l.forEach(o::writeInt);
            return o.toByteArray();
        });
        return Arbitraries.oneOf(random, withHandle, withName, ints);
    }

    @Property(tries = 150)
    void serverSurvivesMutatedRecordsOverTcpAndUdp(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 400) Integer> flips,
                                                   @ForAll @IntRange(min = 0, max = 3) int target,
                                                   @ForAll boolean tcp,
                                                   @ForAll @IntRange(min = -8, max = 64) int cut) throws Exception {
        InetSocketAddress[] servers = {server.endpoints().get("nfs"), server.endpoints().get("mount"),
                server.endpoints().get("portmap"), server.endpoints().get("nfs")};
        int[][] calls = {{Nfs3.PROGRAM, 3, Nfs3.LOOKUP}, {Mount3.PROGRAM, 3, Mount3.MNT}, {Portmap2.PROGRAM, 2, Portmap2.GETPORT},
                {Nfs3.PROGRAM, 3, Nfs3.WRITE}};
        byte[] args = new XdrOut().writeOpaque(rootFh).writeString("name").writeLong(0).writeInt(4).writeInt(0)
                .writeOpaque(new byte[] {1, 2, 3, 4}).toByteArray();
        byte[] msg = RpcWire.call(RpcWire.XID.incrementAndGet(), calls[target][0], calls[target][1], calls[target][2], 0, 0, args)
                .toByteArray();
        for (int f : flips) {
            int i = f % msg.length;
            msg[i] ^= (byte) (f * 31 + 7);
        }
        int len = Math.max(0, Math.min(msg.length, msg.length - cut));
        byte[] mutated = java.util.Arrays.copyOf(msg, len);
        InetSocketAddress a = servers[target];
        try (RpcWire w = tcp ? RpcWire.tcp(a, 0) : RpcWire.udp(a, 0)) {
            if (tcp) {
                byte[] framed = new byte[4 + mutated.length];
                java.nio.ByteBuffer.wrap(framed).putInt(0x80000000 | mutated.length).put(mutated);
                w.sendBytes(framed);
            } else {
                w.sendBytes(mutated);
            }
            RpcWire.Reply r = w.receive(300);
            if (r != null && r.accepted()) {
                assertThat(r.acceptStatus()).as("no SYSTEM_ERR").isNotEqualTo(5);
            }
        } catch (java.io.IOException e) {
            // the server may close a connection that sent garbage
        }
        try (RpcWire w = RpcWire.tcp(a, 0)) {
            RpcWire.Reply ok = w.call(calls[target][0], calls[target][1], 0, -1, new byte[0]);
            assertThat(ok.acceptStatus()).isZero();
        }
    }
}
