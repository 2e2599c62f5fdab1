package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server exports the cluster's root and a node group's own side by side, over
 * its real TCP transport: MNT of each path gives that export's root handle; a handle names
 * its export, so a handle of one export is never resolved in the other (a forged export id
 * fails the tag, a second handle of the other export is refused); each export's rules apply
 * (the group's read-only root refuses a CREATE); EXPORT lists both; a group root withdrawn
 * live is refused at MNT and its handles go stale, and come back when it is exported again.
 */
class GroupExportsTest {

    @TempDir
    Path tmp;

    record Mounted(int status, byte[] handle) {
    }

    static Mounted mnt(RpcWire w, Path path) throws Exception {
        RpcWire.Reply r = w.call(Mount3.PROGRAM, 3, Mount3.MNT, 0, new XdrOut().writeString(path.toString()).toByteArray());
        int status = r.body().readInt();
        return new Mounted(status, status == 0 ? r.body().readOpaque(64) : null);
    }

    /** GETATTR's status and, if OK, the file id and fsid. */
    static long[] getattr(RpcWire w, byte[] fh) throws Exception {
        XdrIn in = w.call(Nfs3.PROGRAM, 3, Nfs3.GETATTR, 0, new XdrOut().writeOpaque(fh).toByteArray()).body();
        int status = in.readInt();
        if (status != 0) {
            return new long[] {status};
        }
        in.readInt(); // type
        in.readInt(); // mode
        in.readInt(); // nlink
        in.readInt(); // uid
        in.readInt(); // gid
        in.readLong(); // size
        in.readLong(); // used
        in.readInt(); // rdev
        in.readInt();
        long fsid = in.readLong();
        long fileid = in.readLong();
        return new long[] {0, fileid, fsid};
    }

    static int status(RpcWire w, int proc, XdrOut args) throws Exception {
        return w.call(Nfs3.PROGRAM, 3, proc, 0, args.toByteArray()).body().readInt();
    }

    @Test
    void eachExportAnswersWithItsOwnHandlesOnly() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("cluster"));
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        Files.writeString(root.resolve("marker"), "cluster\n");
        Files.writeString(storage.resolve("marker"), "storage\n");
        Cluster one = Cluster.builder("groups")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                .node("node2", "02:00:00:00:00:02", "127.0.0.3")
                .budget(x -> x.unknownSources(new io.netboot4j.core.HeadBudget.SourceLimit(0, 64, 1000)))
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .group("storage", b -> { })
                .nodeGroup("node2", "storage")
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, 0))
                .build();
        Cluster two = one.toBuilder().groupRoot("storage", r -> r.path(storage).readOnly()).build();
        EmbeddedNfsServer server = new EmbeddedNfsServer(new ServiceContext(two, tmp.resolve("work"), e -> { }, NetworkSeam.host(),
                Clock.systemUTC()), List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash,insecure)")));
        try (server) {
            server.start();
            InetSocketAddress mount = server.endpoints().get("mount");
            InetSocketAddress nfs = server.endpoints().get("nfs");
            try (RpcWire m = RpcWire.tcp(mount, 0); RpcWire n = RpcWire.tcp(nfs, 0)) {
                Mounted a = mnt(m, root);
                Mounted b = mnt(m, storage);
                assertThat(a.status()).isZero();
                assertThat(b.status()).isZero();
                assertThat(mnt(m, tmp).status()).as("the folder around both is no export").isEqualTo(Mount3.MNT3ERR_NOENT);
                long[] ga = getattr(n, a.handle());
                long[] gb = getattr(n, b.handle());
                assertThat(ga[1]).isEqualTo(Posix.lstat(root).ino());
                assertThat(gb[1]).isEqualTo(Posix.lstat(storage).ino());
                assertThat(ga[2]).as("each export has its own fsid").isNotEqualTo(gb[2]);

                // LOOKUP of the marker in each export finds that export's file
                for (var h : List.of(a, b)) {
                    XdrIn in = n.call(Nfs3.PROGRAM, 3, Nfs3.LOOKUP, 0, new XdrOut().writeOpaque(h.handle()).writeString("marker").toByteArray())
                            .body();
                    assertThat(in.readInt()).isZero();
                    byte[] fh = in.readOpaque(64);
                    XdrIn read = n.call(Nfs3.PROGRAM, 3, Nfs3.READ, 0, new XdrOut().writeOpaque(fh).writeLong(0).writeInt(100).toByteArray()).body();
                    assertThat(read.readInt()).isZero();
                    if (read.readBoolean()) {
                        DirectClient.fattr(read);
                    }
                    read.readInt();
                    read.readBoolean();
                    assertThat(new String(read.readOpaque(100))).isEqualTo(h == a ? "cluster\n" : "storage\n");
                }

                // a handle of one export with the other's export id: the tag fails
                byte[] forged = a.handle().clone();
                ByteBuffer.wrap(forged).putInt(4, ByteBuffer.wrap(b.handle()).getInt(4));
                assertThat(getattr(n, forged)[0]).isEqualTo(Nfs3.BADHANDLE);
                // one export's program never takes the other's handle
                ExportState sa = server.state(root);
                ExportState sb = server.state(storage);
                XdrOut got = new Nfs3(sb).call(Nfs3.GETATTR, new XdrIn(new XdrOut().writeOpaque(a.handle()).toByteArray()),
                        new Caller((java.net.Inet4Address) java.net.InetAddress.getByName("127.0.0.2"), 700, true, 0, 0, new int[0]));
                assertThat(new XdrIn(got.toByteArray()).readInt()).isEqualTo(Nfs3.BADHANDLE);
                assertThat(sa).isSameAs(server.state());
                // RENAME from one export into the other: the second handle is not this export's
                Files.writeString(root.resolve("moving"), "x");
                int rename = status(n, Nfs3.RENAME, new XdrOut().writeOpaque(a.handle()).writeString("moving")
                        .writeOpaque(b.handle()).writeString("moved"));
                assertThat(rename).isIn(Nfs3.BADHANDLE, Nfs3.XDEV);
                assertThat(root.resolve("moving")).exists();
                assertThat(storage.resolve("moved")).doesNotExist();
                // the group's root is read-only: its rule says ro, the cluster's rw
                XdrOut create = new XdrOut().writeOpaque(b.handle()).writeString("new").writeInt(0)
                        .writeBoolean(false).writeBoolean(false).writeBoolean(false).writeBoolean(false).writeInt(0).writeInt(0);
                assertThat(status(n, Nfs3.CREATE, create)).isEqualTo(Nfs3.ROFS);
                XdrOut createInA = new XdrOut().writeOpaque(a.handle()).writeString("new").writeInt(0)
                        .writeBoolean(false).writeBoolean(false).writeBoolean(false).writeBoolean(false).writeInt(0).writeInt(0);
                assertThat(status(n, Nfs3.CREATE, createInA)).isZero();
                assertThat(sb.rules()).extracting(ExportRule::render).containsExactly("127.0.0.0/8(ro,no_root_squash,insecure)");

                // EXPORT lists both
                XdrIn exp = m.call(Mount3.PROGRAM, 3, Mount3.EXPORT, 0, new byte[0]).body();
                List<String> paths = new ArrayList<>();
                while (exp.readBoolean()) {
                    paths.add(exp.readString(1024));
                    while (exp.readBoolean()) {
                        exp.readString(1024);
                    }
                }
                assertThat(paths).containsExactly(root.toString(), storage.toString());

                // withdrawn live: MNT refused, handles stale; exported again: the same handle works
                assertThat(server.supportsUpdate(one)).isTrue();
                server.update(one);
                assertThat(mnt(m, storage).status()).isEqualTo(Mount3.MNT3ERR_NOENT);
                assertThat(getattr(n, b.handle())[0]).isEqualTo(Nfs3.BADHANDLE);
                assertThat(getattr(n, a.handle())[0]).isZero();
                server.update(two);
                assertThat(getattr(n, b.handle())[1]).isEqualTo(Posix.lstat(storage).ino());
                assertThat(mnt(m, storage).handle()).isEqualTo(b.handle());
                // a root that is not a folder is refused before anything changes
                Cluster missing = one.toBuilder().groupRoot("storage", r -> r.path(storage)).build();
                Files.delete(storage.resolve("marker"));
                Files.delete(storage);
                assertThat(server.supportsUpdate(missing)).isFalse();
            }
        }
    }

    @Test
    void twoExportsWithTheSameExportIdAreRefused() throws Exception {
        List<Path> pair = Collisions.of(tmp, FileHandles::exportId);
        Path a = pair.get(0);
        Path b = pair.get(1);
        Files.createDirectories(a);
        Files.createDirectories(b);
        List<ExportRule> rules = List.of(ExportRule.parse("127.0.0.0/8(rw)"));
        byte[] key = new byte[32];
        try (ExportState primary = new ExportState(Files.createDirectories(tmp.resolve("cluster")), rules, null, key, e -> { },
                Clock.systemUTC());
             ExportState sa = new ExportState(a, rules, null, key, e -> { }, Clock.systemUTC());
             ExportState sb = new ExportState(b, rules, null, key, e -> { }, Clock.systemUTC())) {
            ExportTable table = new ExportTable(primary);
            table.replaceOthers(List.of(sa));
            Path first = a;
            Path second = b;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.replaceOthers(List.of(sa, sb)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the exports " + first + " and " + second + " have the same export id; rename one of the folders");
            assertThat(table.states()).containsExactly(primary, sa);
        }
    }
}
