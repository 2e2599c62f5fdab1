package io.netboot4j.nfsroot.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Calls {@link Nfs3} and {@link Mount3} in-process (no sockets) and decodes their replies, for tests. */
final class DirectClient {

    record Attr(int type, int mode, long nlink, int uid, int gid, long size, long fileid, long atimeSec, long mtimeSec) {
    }

    record Reply(int status, byte[] fh, Attr attr, byte[] data, long count, boolean eof, int committed, byte[] verf) {
        static Reply of(int status) {
            return new Reply(status, null, null, null, 0, false, 0, null);
        }
    }

    record Entry(String name, long fileid, long cookie, Attr attr, byte[] fh) {
    }

    final Nfs3 nfs;
    final Mount3 mount;
    Caller caller;

    DirectClient(ExportState state, Caller caller) {
        this.nfs = new Nfs3(state);
        this.mount = new Mount3(state);
        this.caller = caller;
    }

    XdrIn nfsCall(int proc, XdrOut args) throws Exception {
        XdrOut out = nfs.call(proc, new XdrIn(args.toByteArray()), caller);
        return new XdrIn(out.toByteArray());
    }

    static Attr fattr(XdrIn in) throws Exception {
        int type = in.readInt();
        int mode = in.readInt();
        long nlink = Integer.toUnsignedLong(in.readInt());
        int uid = in.readInt();
        int gid = in.readInt();
        long size = in.readLong();
        in.readLong();
        in.readInt();
        in.readInt();
        in.readLong();
        long fileid = in.readLong();
        long at = Integer.toUnsignedLong(in.readInt());
        in.readInt();
        long mt = Integer.toUnsignedLong(in.readInt());
        in.readInt();
        in.readInt();
        in.readInt();
        return new Attr(type, mode, nlink, uid, gid, size, fileid, at, mt);
    }

    static Attr postOp(XdrIn in) throws Exception {
        return in.readBoolean() ? fattr(in) : null;
    }

    static void skipWcc(XdrIn in) throws Exception {
        if (in.readBoolean()) {
            in.readLong();
            in.readLong();
            in.readLong();
        }
        postOp(in);
    }

    static XdrOut sattr(int mode, int uid, int gid, long size) {
        XdrOut o = new XdrOut();
        o.writeBoolean(mode >= 0);
        if (mode >= 0) {
            o.writeInt(mode);
        }
        o.writeBoolean(uid >= 0);
        if (uid >= 0) {
            o.writeInt(uid);
        }
        o.writeBoolean(gid >= 0);
        if (gid >= 0) {
            o.writeInt(gid);
        }
        o.writeBoolean(size >= 0);
        if (size >= 0) {
            o.writeLong(size);
        }
        o.writeInt(0);
        o.writeInt(0);
        return o;
    }

    static XdrOut append(XdrOut o, XdrOut more) {
        return o.writeFixed(more.toByteArray());
    }

    Reply mnt(String path) throws Exception {
        XdrOut out = mount.call(Mount3.MNT, new XdrIn(new XdrOut().writeString(path).toByteArray()), caller);
        XdrIn in = new XdrIn(out.toByteArray());
        int st = in.readInt();
        if (st != 0) {
            return Reply.of(st);
        }
        return new Reply(0, in.readOpaque(64), null, null, 0, false, 0, null);
    }

    Reply getattr(byte[] fh) throws Exception {
        XdrIn in = nfsCall(Nfs3.GETATTR, new XdrOut().writeOpaque(fh));
        int st = in.readInt();
        return st != 0 ? Reply.of(st) : new Reply(0, fh, fattr(in), null, 0, false, 0, null);
    }

    Reply lookup(byte[] dir, String name) throws Exception {
        XdrIn in = nfsCall(Nfs3.LOOKUP, new XdrOut().writeOpaque(dir).writeString(name));
        int st = in.readInt();
        if (st != 0) {
            return Reply.of(st);
        }
        byte[] fh = in.readOpaque(64);
        return new Reply(0, fh, postOp(in), null, 0, false, 0, null);
    }

    Reply lookupPath(byte[] root, String path) throws Exception {
        byte[] fh = root;
        Reply r = null;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            r = lookup(fh, part);
            if (r.status() != 0) {
                return r;
            }
            fh = r.fh();
        }
        return r;
    }

    int access(byte[] fh, int want) throws Exception {
        XdrIn in = nfsCall(Nfs3.ACCESS, new XdrOut().writeOpaque(fh).writeInt(want));
        int st = in.readInt();
        if (st != 0) {
            return -st;
        }
        postOp(in);
        return in.readInt();
    }

    Reply read(byte[] fh, long offset, int count) throws Exception {
        XdrIn in = nfsCall(Nfs3.READ, new XdrOut().writeOpaque(fh).writeLong(offset).writeInt(count));
        int st = in.readInt();
        Attr a = postOp(in);
        if (st != 0) {
            return Reply.of(st);
        }
        int n = in.readInt();
        boolean eof = in.readBoolean();
        byte[] data = in.readOpaque(Integer.MAX_VALUE);
        return new Reply(0, fh, a, data, n, eof, 0, null);
    }

    Reply write(byte[] fh, long offset, byte[] data, int stable) throws Exception {
        XdrIn in = nfsCall(Nfs3.WRITE, new XdrOut().writeOpaque(fh).writeLong(offset).writeInt(data.length).writeInt(stable).writeOpaque(data));
        int st = in.readInt();
        skipWcc(in);
        if (st != 0) {
            return Reply.of(st);
        }
        long n = Integer.toUnsignedLong(in.readInt());
        int committed = in.readInt();
        return new Reply(0, fh, null, null, n, false, committed, in.readFixed(8));
    }

    Reply commit(byte[] fh) throws Exception {
        XdrIn in = nfsCall(Nfs3.COMMIT, new XdrOut().writeOpaque(fh).writeLong(0).writeInt(0));
        int st = in.readInt();
        skipWcc(in);
        return st != 0 ? Reply.of(st) : new Reply(0, fh, null, null, 0, false, 0, in.readFixed(8));
    }

    private Reply created(XdrIn in) throws Exception {
        int st = in.readInt();
        if (st != 0) {
            skipWcc(in);
            return Reply.of(st);
        }
        byte[] fh = in.readBoolean() ? in.readOpaque(64) : null;
        Attr a = postOp(in);
        skipWcc(in);
        return new Reply(0, fh, a, null, 0, false, 0, null);
    }

    Reply create(byte[] dir, String name, int how, int mode, byte[] verf) throws Exception {
        XdrOut o = new XdrOut().writeOpaque(dir).writeString(name).writeInt(how);
        if (how == 2) {
            o.writeFixed(verf);
        } else {
            append(o, sattr(mode, -1, -1, -1));
        }
        return created(nfsCall(Nfs3.CREATE, o));
    }

    Reply mkdir(byte[] dir, String name, int mode) throws Exception {
        return created(nfsCall(Nfs3.MKDIR, append(new XdrOut().writeOpaque(dir).writeString(name), sattr(mode, -1, -1, -1))));
    }

    Reply symlink(byte[] dir, String name, String target) throws Exception {
        return created(nfsCall(Nfs3.SYMLINK, append(new XdrOut().writeOpaque(dir).writeString(name), sattr(-1, -1, -1, -1))
                .writeString(target)));
    }

    Reply mknod(byte[] dir, String name, int type, int mode, int major, int minor) throws Exception {
        XdrOut o = new XdrOut().writeOpaque(dir).writeString(name).writeInt(type);
        append(o, sattr(mode, -1, -1, -1));
        if (type == Nfs3.NF3CHR || type == Nfs3.NF3BLK) {
            o.writeInt(major).writeInt(minor);
        }
        return created(nfsCall(Nfs3.MKNOD, o));
    }

    String readlink(byte[] fh) throws Exception {
        XdrIn in = nfsCall(Nfs3.READLINK, new XdrOut().writeOpaque(fh));
        int st = in.readInt();
        postOp(in);
        return st != 0 ? "error " + st : new String(in.readOpaque(4096), StandardCharsets.UTF_8);
    }

    int setattr(byte[] fh, int mode, int uid, int gid, long size) throws Exception {
        XdrIn in = nfsCall(Nfs3.SETATTR, append(new XdrOut().writeOpaque(fh), sattr(mode, uid, gid, size)).writeBoolean(false));
        return in.readInt();
    }

    int remove(byte[] dir, String name) throws Exception {
        return nfsCall(Nfs3.REMOVE, new XdrOut().writeOpaque(dir).writeString(name)).readInt();
    }

    int rmdir(byte[] dir, String name) throws Exception {
        return nfsCall(Nfs3.RMDIR, new XdrOut().writeOpaque(dir).writeString(name)).readInt();
    }

    int rename(byte[] from, String fromName, byte[] to, String toName) throws Exception {
        return nfsCall(Nfs3.RENAME, new XdrOut().writeOpaque(from).writeString(fromName).writeOpaque(to).writeString(toName)).readInt();
    }

    int link(byte[] file, byte[] dir, String name) throws Exception {
        return nfsCall(Nfs3.LINK, new XdrOut().writeOpaque(file).writeOpaque(dir).writeString(name)).readInt();
    }

    /** All entries of a directory through READDIR or READDIRPLUS, {@code count} bytes per call. */
    List<Entry> list(byte[] dir, boolean plus, int count) throws Exception {
        List<Entry> all = new ArrayList<>();
        long cookie = 0;
        for (int calls = 0; calls < 100_000; calls++) {
            XdrOut o = new XdrOut().writeOpaque(dir).writeLong(cookie).writeFixed(new byte[8]).writeInt(count);
            if (plus) {
                o.writeInt(count * 4);
            }
            XdrIn in = nfsCall(plus ? Nfs3.READDIRPLUS : Nfs3.READDIR, o);
            int st = in.readInt();
            postOp(in);
            if (st != 0) {
                throw new IllegalStateException("READDIR status " + st);
            }
            in.readFixed(8);
            while (in.readBoolean()) {
                long fileid = in.readLong();
                String name = new String(in.readOpaque(255), StandardCharsets.UTF_8);
                cookie = in.readLong();
                Attr a = null;
                byte[] fh = null;
                if (plus) {
                    a = postOp(in);
                    fh = in.readBoolean() ? in.readOpaque(64) : null;
                }
                all.add(new Entry(name, fileid, cookie, a, fh));
            }
            if (in.readBoolean()) {
                return all;
            }
        }
        throw new IllegalStateException("READDIR never ended");
    }
}
