package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.internal.LinuxSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every NFSv3 procedure and every export rule, calling the program in-process with
 * chosen callers (address, source port, AUTH_UNIX credentials). Needs root (chown,
 * mknod), as the server does.
 */
class Nfs3ProceduresTest {

    @TempDir
    Path tmp;
    Path root;
    byte[] key = new byte[32];
    final List<BootEvent> events = new CopyOnWriteArrayList<>();

    static final Caller ROOT = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 0, 0);
    static final Caller USER = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 1000, 1000, 1000);
    static final Caller OTHER = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 2000, 2000);

    @BeforeEach
    void tree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root, as the NFS server does (chown, mknod)");
        root = tmp.resolve("root");
        io.netboot4j.nfsroot.TestTrees.populate(root);
    }

    ExportState state(String... rules) throws java.io.IOException {
        List<ExportRule> r = new ArrayList<>();
        for (String s : rules) {
            r.add(ExportRule.parse(s));
        }
        ExportState st = new ExportState(root, r, null, key, events::add, Clock.systemUTC());
        return st;
    }

    DirectClient client(ExportState st, Caller c) {
        return new DirectClient(st, c);
    }

    byte[] mountRoot(DirectClient c) throws Exception {
        DirectClient.Reply r = c.mnt(root.toString());
        assertThat(r.status()).isZero();
        return r.fh();
    }

    @Test
    void attributesAreTheStoredOnes() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        for (String p : List.of("usr/bin/su", "home/user/notes.txt", "tmp", "dev/null", "dev/sda", "dev/initctl", "dev/log",
                "bin/su", "usr/bin/big.hardlink")) {
            DirectClient.Reply r = c.lookupPath(rootFh, p);
            assertThat(r.status()).as(p).isZero();
            Stat s = Posix.lstat(root.resolve(p));
            DirectClient.Attr a = c.getattr(r.fh()).attr();
            assertThat(a.mode()).as(p).isEqualTo(s.permissions());
            assertThat(a.uid()).isEqualTo(s.uid());
            assertThat(a.gid()).isEqualTo(s.gid());
            assertThat(a.nlink()).isEqualTo(s.nlink());
            assertThat(a.fileid()).isEqualTo(s.ino());
            assertThat(a.size()).isEqualTo(s.size());
            assertThat(a.type()).isEqualTo(Nfs3.ftype(s));
        }
        assertThat(c.getattr(c.lookupPath(rootFh, "usr/bin/su").fh()).attr().mode()).isEqualTo(04755);
        assertThat(c.getattr(c.lookupPath(rootFh, "tmp").fh()).attr().mode()).isEqualTo(01777);
        assertThat(c.lookupPath(rootFh, "usr/bin/big").attr().fileid())
                .isEqualTo(c.lookupPath(rootFh, "usr/bin/big.hardlink").attr().fileid());
        assertThat(c.lookupPath(rootFh, "usr/bin/big").attr().nlink()).isEqualTo(2);
        assertThat(c.readlink(c.lookupPath(rootFh, "bin/su").fh())).isEqualTo("../usr/bin/su");
        assertThat(c.access(rootFh, 0x3f)).isEqualTo(0x1f);
    }

    @Test
    void neverResolvesOutsideTheExport() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        assertThat(c.lookup(rootFh, "..").fh()).isEqualTo(rootFh);
        // etc/hostname.abs points to /etc/hostname: the server never follows it
        DirectClient.Reply link = c.lookupPath(rootFh, "etc/hostname.abs");
        assertThat(c.getattr(link.fh()).attr().type()).isEqualTo(Nfs3.NF3LNK);
        assertThat(c.lookup(link.fh(), "x").status()).isEqualTo(Nfs3.NOTDIR);
        assertThat(c.read(link.fh(), 0, 100).status()).isEqualTo(Nfs3.INVAL);
        assertThat(c.lookup(rootFh, "a/b").status()).isEqualTo(Nfs3.INVAL);
        assertThat(c.mnt("/etc").status()).isEqualTo(Mount3.MNT3ERR_NOENT);
        assertThat(c.mnt(root + "/../").status()).isEqualTo(Mount3.MNT3ERR_INVAL);
        assertThat(c.mnt(root + "/etc/../..").status()).isEqualTo(Mount3.MNT3ERR_INVAL);
        assertThat(c.mnt(root + "/etc/").status()).isZero();
    }

    @Test
    void forgedAndStaleHandles() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        byte[] fh = c.lookupPath(rootFh, "etc/fstab").fh();
        for (int i = 0; i < fh.length; i++) {
            byte[] forged = fh.clone();
            forged[i] ^= 0x01;
            assertThat(c.getattr(forged).status()).as("byte %d flipped", i).isEqualTo(Nfs3.BADHANDLE);
        }
        assertThat(c.getattr(new byte[32]).status()).isEqualTo(Nfs3.BADHANDLE);
        assertThat(c.getattr(new byte[7]).status()).isEqualTo(Nfs3.BADHANDLE);
        // Another server key: not ours.
        ExportState other = new ExportState(root, st.rules(), null, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
                e -> { }, Clock.systemUTC());
        assertThat(client(other, ROOT).getattr(fh).status()).isEqualTo(Nfs3.BADHANDLE);
        // A restart with the same key: the handle still works, found by walking the export.
        ExportState restarted = state("127.0.0.0/8(rw,no_root_squash)");
        assertThat(client(restarted, ROOT).getattr(fh).status()).isZero();
        assertThat(restarted.index().scans()).isEqualTo(1);
        // Removed: stale.
        byte[] victim = c.create(rootFh, "victim", 0, 0644, null).fh();
        assertThat(c.remove(rootFh, "victim")).isZero();
        assertThat(c.getattr(victim).status()).isEqualTo(Nfs3.STALE);
    }

    @Test
    void deniedClientsAndInsecurePorts() throws Exception {
        ExportState st = state("127.0.0.2(rw,no_root_squash)", "node1.example(ro)");
        DirectClient allowed = client(st, ROOT);
        byte[] rootFh = mountRoot(allowed);
        DirectClient stranger = client(st, Caller.unix(Ipv4.parse("127.0.0.3"), 800, 0, 0));
        assertThat(stranger.mnt(root.toString()).status()).isEqualTo(Mount3.MNT3ERR_ACCES);
        assertThat(stranger.getattr(rootFh).status()).isEqualTo(Nfs3.ACCES);
        DirectClient insecure = client(st, Caller.unix(Ipv4.parse("127.0.0.2"), 40000, 0, 0));
        assertThat(insecure.mnt(root.toString()).status()).isEqualTo(Mount3.MNT3ERR_PERM);
        assertThat(insecure.getattr(rootFh).status()).isEqualTo(Nfs3.PERM);
        ExportState open = state("127.0.0.0/8(rw,insecure)");
        assertThat(client(open, Caller.unix(Ipv4.parse("127.0.0.2"), 40000, 0, 0)).mnt(root.toString()).status()).isZero();
        assertThat(st.denied()).isEqualTo(4);
    }

    @Test
    void readOnlyExport() throws Exception {
        ExportState st = state("127.0.0.0/8(ro,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        byte[] fstab = c.lookupPath(rootFh, "etc/fstab").fh();
        assertThat(c.read(fstab, 0, 100).data()).isEqualTo(Files.readAllBytes(root.resolve("etc/fstab")));
        assertThat(c.write(fstab, 0, new byte[] {1}, Nfs3.FILE_SYNC).status()).isEqualTo(Nfs3.ROFS);
        assertThat(c.create(rootFh, "new", 0, 0644, null).status()).isEqualTo(Nfs3.ROFS);
        assertThat(c.mkdir(rootFh, "d", 0755).status()).isEqualTo(Nfs3.ROFS);
        assertThat(c.remove(rootFh, "etc")).isEqualTo(Nfs3.ROFS);
        assertThat(c.setattr(fstab, 0600, -1, -1, -1)).isEqualTo(Nfs3.ROFS);
        assertThat(c.access(fstab, 0x3f) & (Nfs3.ACCESS_MODIFY | Nfs3.ACCESS_EXTEND)).isZero();
        assertThat(Files.exists(root.resolve("new"))).isFalse();
    }

    @Test
    void rootSquashAllSquashAndAnonIds() throws Exception {
        ExportState squashed = state("127.0.0.0/8(rw)");
        DirectClient c = client(squashed, ROOT);
        byte[] rootFh = mountRoot(c);
        byte[] notes = c.lookupPath(rootFh, "home/user").fh();
        assertThat(notes == null ? Nfs3.ACCES : c.lookup(notes, "notes.txt").status()).isEqualTo(Nfs3.ACCES);
        byte[] tmpFh = c.lookup(rootFh, "tmp").fh();
        DirectClient.Reply made = c.create(tmpFh, "by-root", 0, 0644, null);
        assertThat(made.status()).isZero();
        assertThat(Posix.lstat(root.resolve("tmp/by-root")).uid()).isEqualTo(65534);
        assertThat(Posix.lstat(root.resolve("tmp/by-root")).gid()).isEqualTo(65534);

        ExportState all = state("127.0.0.0/8(rw,all_squash,anonuid=1234,anongid=4321)");
        DirectClient u = client(all, USER);
        byte[] r2 = mountRoot(u);
        assertThat(u.create(u.lookup(r2, "tmp").fh(), "by-user", 0, 0640, null).status()).isZero();
        Stat s = Posix.lstat(root.resolve("tmp/by-user"));
        assertThat(s.uid()).isEqualTo(1234);
        assertThat(s.gid()).isEqualTo(4321);
        assertThat(s.permissions()).isEqualTo(0640);

        ExportState none = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient rc = client(none, ROOT);
        byte[] r3 = mountRoot(rc);
        assertThat(rc.read(rc.lookupPath(r3, "home/user/notes.txt").fh(), 0, 100).data())
                .isEqualTo("private notes\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void permissionsFollowAuthUnixCredentials() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient root0 = client(st, ROOT);
        byte[] rootFh = mountRoot(root0);
        DirectClient user = client(st, USER);
        DirectClient other = client(st, OTHER);
        byte[] notes = user.lookupPath(rootFh, "home/user/notes.txt").fh();
        assertThat(user.read(notes, 0, 100).status()).isZero();
        assertThat(other.lookupPath(rootFh, "home/user/notes.txt").status()).isEqualTo(Nfs3.ACCES);
        assertThat(other.read(notes, 0, 100).status()).isEqualTo(Nfs3.ACCES);
        assertThat(other.write(notes, 0, new byte[] {1}, 2).status()).isEqualTo(Nfs3.ACCES);
        assertThat(other.setattr(notes, 0777, -1, -1, -1)).isEqualTo(Nfs3.PERM);
        assertThat(user.setattr(notes, -1, 0, -1, -1)).isEqualTo(Nfs3.PERM);
        assertThat(other.create(rootFh, "x", 0, 0644, null).status()).isEqualTo(Nfs3.ACCES);
        // Sticky /tmp: others may not remove or rename a user's file.
        byte[] tmpFh = user.lookup(rootFh, "tmp").fh();
        assertThat(user.create(tmpFh, "mine", 0, 0644, null).status()).isZero();
        assertThat(other.remove(tmpFh, "mine")).isEqualTo(Nfs3.ACCES);
        assertThat(other.rename(tmpFh, "mine", tmpFh, "theirs")).isEqualTo(Nfs3.ACCES);
        assertThat(user.remove(tmpFh, "mine")).isZero();
        // The owner may write a file it made read-only (Linux nfsd's owner override).
        DirectClient.Reply ro = user.create(tmpFh, "readonly", 0, 0444, null);
        assertThat(user.write(ro.fh(), 0, "x".getBytes(), 2).status()).isZero();
        assertThat(other.write(ro.fh(), 0, "x".getBytes(), 2).status()).isEqualTo(Nfs3.ACCES);
        assertThat(user.access(notes, 0x3f)).isEqualTo(Nfs3.ACCESS_READ | Nfs3.ACCESS_MODIFY | Nfs3.ACCESS_EXTEND);
        assertThat(other.access(notes, 0x3f)).isZero();
    }

    @Test
    void createWriteCommitAndExclusiveCreate() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, USER);
        byte[] rootFh = mountRoot(client(st, ROOT));
        byte[] tmpFh = c.lookup(rootFh, "tmp").fh();
        DirectClient.Reply f = c.create(tmpFh, "data", 1, 0600, null);
        assertThat(f.status()).isZero();
        assertThat(f.attr().uid()).isEqualTo(1000);
        assertThat(c.create(tmpFh, "data", 1, 0600, null).status()).isEqualTo(Nfs3.EXIST);
        DirectClient.Reply w1 = c.write(f.fh(), 0, "hello ".getBytes(), Nfs3.UNSTABLE);
        DirectClient.Reply w2 = c.write(f.fh(), 6, "world".getBytes(), Nfs3.UNSTABLE);
        assertThat(w1.committed()).isEqualTo(Nfs3.UNSTABLE);
        assertThat(w1.verf()).isEqualTo(w2.verf()).isEqualTo(st.writeVerifier());
        Stat data = Posix.lstat(root.resolve("tmp/data"));
        assertThat(st.cached(data, true)).as("writer cached between WRITEs").isTrue();
        assertThat(c.commit(f.fh()).verf()).isEqualTo(st.writeVerifier());
        assertThat(st.cached(data, true)).as("writer closed by COMMIT").isFalse();
        assertThat(c.write(f.fh(), 11, "!".getBytes(), Nfs3.FILE_SYNC).committed()).isEqualTo(Nfs3.FILE_SYNC);
        assertThat(Files.readString(root.resolve("tmp/data"))).isEqualTo("hello world!");
        DirectClient.Reply r = c.read(f.fh(), 6, 1000);
        assertThat(new String(r.data())).isEqualTo("world!");
        assertThat(r.eof()).isTrue();
        assertThat(c.read(f.fh(), 0, 5).eof()).isFalse();
        assertThat(c.setattr(f.fh(), -1, -1, -1, 5)).isZero();
        assertThat(Files.readString(root.resolve("tmp/data"))).isEqualTo("hello");
        assertThat(st.cached(data, false)).as("reader cached").isTrue();
        assertThat(c.nfsCall(Nfs3.REMOVE, new XdrOut().writeOpaque(tmpFh).writeString("data")).readInt()).isZero();
        assertThat(st.cached(data, false)).as("reader closed by REMOVE").isFalse();
        assertThat(st.cached(data, true)).as("writer closed by REMOVE").isFalse();

        byte[] verf = {1, 2, 3, 4, 5, 6, 7, 8};
        DirectClient.Reply e1 = c.create(tmpFh, "exclusive", 2, 0, verf);
        DirectClient.Reply e2 = c.create(tmpFh, "exclusive", 2, 0, verf);
        assertThat(e1.status()).isZero();
        assertThat(e2.status()).isZero();
        assertThat(e2.attr().fileid()).isEqualTo(e1.attr().fileid());
        assertThat(c.create(tmpFh, "exclusive", 2, 0, new byte[] {9, 9, 9, 9, 9, 9, 9, 9}).status()).isEqualTo(Nfs3.EXIST);
        // UNCHECKED on an existing file succeeds and applies the attributes.
        assertThat(c.create(tmpFh, "exclusive", 0, 0640, null).status()).isZero();
        assertThat(Posix.lstat(root.resolve("tmp/exclusive")).permissions()).isEqualTo(0640);
    }

    @Test
    void namespaceOperations() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        DirectClient.Reply dir = c.mkdir(rootFh, "srv", 02775);
        assertThat(dir.status()).isZero();
        assertThat(c.setattr(dir.fh(), -1, -1, 50, -1)).isZero();
        assertThat(Posix.lstat(root.resolve("srv")).permissions()).isEqualTo(02775);
        // setgid directory: new entries get its group, subdirectories stay setgid
        DirectClient user = client(st, USER);
        assertThat(c.setattr(dir.fh(), 02777, -1, -1, -1)).isZero();
        DirectClient.Reply sub = user.mkdir(dir.fh(), "sub", 0755);
        assertThat(sub.attr().gid()).isEqualTo(50);
        assertThat(sub.attr().mode()).isEqualTo(02755);
        assertThat(user.create(dir.fh(), "f", 0, 0644, null).attr().gid()).isEqualTo(50);

        assertThat(c.symlink(dir.fh(), "odd", "a//b/../c/").status()).isZero();
        assertThat(new String(Posix.readlink(root.resolve("srv/odd")))).isEqualTo("a//b/../c/");
        assertThat(c.readlink(c.lookup(dir.fh(), "odd").fh())).isEqualTo("a//b/../c/");

        byte[] f = c.lookup(dir.fh(), "f").fh();
        assertThat(c.link(f, rootFh, "f.link")).isZero();
        assertThat(c.getattr(f).attr().nlink()).isEqualTo(2);
        assertThat(c.link(dir.fh(), rootFh, "dirlink")).isEqualTo(Nfs3.ISDIR);
        assertThat(c.rename(dir.fh(), "f", rootFh, "f.moved")).isZero();
        assertThat(c.getattr(f).status()).isZero();
        assertThat(c.rename(rootFh, "srv", rootFh, "srv2")).isZero();
        assertThat(c.getattr(sub.fh()).status()).isZero();
        assertThat(c.lookupPath(rootFh, "srv2/sub").fh()).isEqualTo(sub.fh());
        assertThat(c.rmdir(rootFh, "srv2")).isEqualTo(Nfs3.NOTEMPTY);
        assertThat(c.remove(rootFh, "srv2")).isEqualTo(Nfs3.ISDIR);
        assertThat(c.rmdir(rootFh, "f.link")).isEqualTo(Nfs3.NOTDIR);
        assertThat(c.rename(rootFh, "srv2", sub.fh(), "loop")).isEqualTo(Nfs3.INVAL);
        assertThat(c.remove(rootFh, "f.link")).isZero();
        assertThat(c.getattr(f).attr().nlink()).isEqualTo(1);
        assertThat(c.lookup(rootFh, "nothing").status()).isEqualTo(Nfs3.NOENT);
        assertThat(c.lookup(rootFh, "x".repeat(300)).status()).isEqualTo(Nfs3.NAMETOOLONG);

        assertThat(c.mknod(rootFh, "null2", Nfs3.NF3CHR, 0666, 1, 3).status()).isZero();
        Stat n = Posix.lstat(root.resolve("null2"));
        assertThat(n.type()).isEqualTo(Stat.S_IFCHR);
        assertThat(LinuxSyscalls.major(n.rdev())).isEqualTo(1);
        assertThat(LinuxSyscalls.minor(n.rdev())).isEqualTo(3);
        assertThat(c.mknod(rootFh, "disk", Nfs3.NF3BLK, 0660, 8, 1).attr().type()).isEqualTo(Nfs3.NF3BLK);
        assertThat(c.mknod(rootFh, "pipe", Nfs3.NF3FIFO, 0600, 0, 0).attr().type()).isEqualTo(Nfs3.NF3FIFO);
        assertThat(c.mknod(rootFh, "sock", Nfs3.NF3SOCK, 0600, 0, 0).attr().type()).isEqualTo(Nfs3.NF3SOCK);
        assertThat(c.mknod(rootFh, "reg", Nfs3.NF3REG, 0600, 0, 0).status()).isEqualTo(Nfs3.BADTYPE);
        assertThat(user.mknod(c.lookup(rootFh, "tmp").fh(), "evil", Nfs3.NF3CHR, 0666, 1, 1).status()).isEqualTo(Nfs3.PERM);
        assertThat(user.mknod(c.lookup(rootFh, "tmp").fh(), "fifo", Nfs3.NF3FIFO, 0666, 0, 0).status()).isZero();
    }

    @Test
    void readdirCookiesAreStableAndComplete() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        byte[] many = c.lookupPath(rootFh, "var/lib/many").fh();
        for (boolean plus : new boolean[] {false, true}) {
            List<DirectClient.Entry> small = c.list(many, plus, 600);
            List<DirectClient.Entry> big = c.list(many, plus, 1 << 20);
            Set<String> names = new HashSet<>();
            small.forEach(e -> names.add(e.name()));
            assertThat(small).hasSize(602);
            assertThat(names).hasSize(602).contains(".", "..", "file-with-a-longish-name-599");
            assertThat(small.stream().map(DirectClient.Entry::cookie).toList())
                    .isEqualTo(big.stream().map(DirectClient.Entry::cookie).toList());
            for (DirectClient.Entry e : small) {
                if (!e.name().equals("..")) {
                    assertThat(e.fileid()).isEqualTo(Posix.lstat(root.resolve("var/lib/many").resolve(e.name())).ino());
                }
                if (plus && !e.name().startsWith(".")) {
                    assertThat(e.attr().size()).isEqualTo(Files.size(root.resolve("var/lib/many").resolve(e.name())));
                    assertThat(c.getattr(e.fh()).attr().fileid()).isEqualTo(e.fileid());
                }
            }
        }
        // A removal between two calls does not make the listing skip or repeat others.
        List<DirectClient.Entry> before = c.list(many, false, 1 << 20);
        long resumeAt = before.get(100).cookie();
        assertThat(c.remove(many, before.get(50).name())).isZero();
        assertThat(c.remove(many, before.get(150).name())).isZero();
        XdrOut o = new XdrOut().writeOpaque(many).writeLong(resumeAt).writeFixed(new byte[8]).writeInt(1 << 20);
        XdrIn in = c.nfsCall(Nfs3.READDIR, o);
        assertThat(in.readInt()).isZero();
        DirectClient.postOp(in);
        in.readFixed(8);
        List<String> rest = new ArrayList<>();
        while (in.readBoolean()) {
            in.readLong();
            rest.add(new String(in.readOpaque(255)));
            in.readLong();
        }
        List<String> expected = new ArrayList<>(before.subList(101, before.size()).stream().map(DirectClient.Entry::name).toList());
        expected.remove(before.get(150).name());
        assertThat(rest).isEqualTo(expected);
        // A listing that cannot fit one entry says so.
        XdrIn tiny = c.nfsCall(Nfs3.READDIR, new XdrOut().writeOpaque(many).writeLong(0).writeFixed(new byte[8]).writeInt(50));
        assertThat(tiny.readInt()).isEqualTo(Nfs3.TOOSMALL);
    }

    @Test
    void mountEventsAndNodeUp() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        assertThat(events).singleElement().isInstanceOf(BootEvent.RootMounted.class);
        c.getattr(rootFh);
        assertThat(events).hasSize(1);
        byte[] tmpFh = c.lookup(rootFh, "tmp").fh();
        c.create(tmpFh, "a", 0, 0644, null);
        c.create(tmpFh, "b", 0, 0644, null);
        assertThat(events).hasSize(2);
        assertThat(events.get(1)).isInstanceOf(BootEvent.NodeUp.class);
        assertThat(events.get(1).client()).contains(Ipv4.parse("127.0.0.2"));
        XdrOut dump = c.mount.call(Mount3.DUMP, new XdrIn(new byte[0]), ROOT);
        XdrIn d = new XdrIn(dump.toByteArray());
        assertThat(d.readBoolean()).isTrue();
        assertThat(d.readString(100)).isEqualTo("127.0.0.2");
        assertThat(d.readString(1000)).isEqualTo(root.toString());
        c.mount.call(Mount3.UMNT, new XdrIn(new XdrOut().writeString(root.toString()).toByteArray()), ROOT);
        assertThat(events.get(2)).isInstanceOf(BootEvent.RootUnmounted.class);
        XdrIn exports = new XdrIn(c.mount.call(Mount3.EXPORT, new XdrIn(new byte[0]), ROOT).toByteArray());
        assertThat(exports.readBoolean()).isTrue();
        assertThat(exports.readString(1000)).isEqualTo(root.toString());
        assertThat(exports.readBoolean()).isTrue();
        assertThat(exports.readString(100)).isEqualTo("127.0.0.0/8");
    }

    @Test
    void fileSystemInformation() throws Exception {
        ExportState st = state("127.0.0.0/8(rw,no_root_squash)");
        DirectClient c = client(st, ROOT);
        byte[] rootFh = mountRoot(c);
        XdrIn info = c.nfsCall(Nfs3.FSINFO, new XdrOut().writeOpaque(rootFh));
        assertThat(info.readInt()).isZero();
        DirectClient.postOp(info);
        assertThat(info.readInt()).as("rtmax").isEqualTo(1024 * 1024);
        assertThat(info.readInt()).as("rtpref").isEqualTo(1024 * 1024);
        info.readInt();
        assertThat(info.readInt()).as("wtmax").isEqualTo(1024 * 1024);
        assertThat(info.readInt()).as("wtpref").isEqualTo(1024 * 1024);
        XdrIn pc = c.nfsCall(Nfs3.PATHCONF, new XdrOut().writeOpaque(rootFh));
        assertThat(pc.readInt()).isZero();
        DirectClient.postOp(pc);
        pc.readInt();
        assertThat(pc.readInt()).isEqualTo(255);
        XdrIn fs = c.nfsCall(Nfs3.FSSTAT, new XdrOut().writeOpaque(rootFh));
        assertThat(fs.readInt()).isZero();
        DirectClient.postOp(fs);
        assertThat(fs.readLong()).isPositive();
    }
}
