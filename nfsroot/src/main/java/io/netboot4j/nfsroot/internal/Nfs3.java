package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.internal.LinuxSyscalls;
import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NFS version 3 program (RFC 1813): all 22 procedures over one exported folder.
 * A pure function of (procedure, argument bytes, caller) to reply bytes; the RPC server
 * around it is thin. The server process is expected to run as root: every permission is
 * checked here against the caller's (squashed) AUTH_UNIX credentials, and new files get
 * the caller's owner and group.
 */
public final class Nfs3 {

    private static final Logger LOG = LoggerFactory.getLogger(Nfs3.class);

    public static final int PROGRAM = 100003;
    public static final int VERSION = 3;

    // procedures
    public static final int NULL = 0, GETATTR = 1, SETATTR = 2, LOOKUP = 3, ACCESS = 4, READLINK = 5, READ = 6,
            WRITE = 7, CREATE = 8, MKDIR = 9, SYMLINK = 10, MKNOD = 11, REMOVE = 12, RMDIR = 13, RENAME = 14,
            LINK = 15, READDIR = 16, READDIRPLUS = 17, FSSTAT = 18, FSINFO = 19, PATHCONF = 20, COMMIT = 21;

    /** Procedure names, by number. */
    public static final List<String> NAMES = List.of("NULL", "GETATTR", "SETATTR", "LOOKUP", "ACCESS", "READLINK",
            "READ", "WRITE", "CREATE", "MKDIR", "SYMLINK", "MKNOD", "REMOVE", "RMDIR", "RENAME", "LINK", "READDIR",
            "READDIRPLUS", "FSSTAT", "FSINFO", "PATHCONF", "COMMIT");

    // status
    public static final int OK = 0, PERM = 1, NOENT = 2, IO = 5, NXIO = 6, ACCES = 13, EXIST = 17, XDEV = 18,
            NODEV = 19, NOTDIR = 20, ISDIR = 21, INVAL = 22, FBIG = 27, NOSPC = 28, ROFS = 30, MLINK = 31,
            NAMETOOLONG = 63, NOTEMPTY = 66, DQUOT = 69, STALE = 70, BADHANDLE = 10001, NOT_SYNC = 10002,
            BAD_COOKIE = 10003, NOTSUPP = 10004, TOOSMALL = 10005, SERVERFAULT = 10006, BADTYPE = 10007;

    // file types (ftype3)
    public static final int NF3REG = 1, NF3DIR = 2, NF3BLK = 3, NF3CHR = 4, NF3LNK = 5, NF3SOCK = 6, NF3FIFO = 7;

    // ACCESS bits
    public static final int ACCESS_READ = 1, ACCESS_LOOKUP = 2, ACCESS_MODIFY = 4, ACCESS_EXTEND = 8,
            ACCESS_DELETE = 0x10, ACCESS_EXECUTE = 0x20;

    public static final int UNSTABLE = 0, DATA_SYNC = 1, FILE_SYNC = 2;

    /** Largest READ and WRITE; FSINFO tells clients. */
    public static final int MAX_IO = 1024 * 1024;
    /** Largest READ data and READDIR reply over UDP, so a reply fits one datagram. */
    public static final int MAX_UDP_IO = 32 * 1024;
    private static final int MAX_NAME = 255;
    /** A folder whose entries take more than this (ext4: about 1,000 names) is listed on a worker, not on a reader. */
    private static final long LARGE_FOLDER = 32 * 1024;
    private static final int MAX_PATH = 4096;
    private static final byte[] DOT = {'.'}, DOTDOT = {'.', '.'};

    private final ExportState export;
    private final long fsid;
    /** Null unless the debug option {@value CallRecorder#PROPERTY} is set. */
    private final CallRecorder recorder;
    private final Map<FileIndex.Key, Listing> listings = new LinkedHashMap<>(64, 0.75f, true);

    public Nfs3(ExportState export) {
        this.export = export;
        this.fsid = Integer.toUnsignedLong(export.handles().exportId());
        this.recorder = CallRecorder.fromSystemProperty(export.index().root());
    }

    /** Whether a procedure changes the file system (for the read-only check, NodeUp and the duplicate-request cache). */
    public static boolean modifies(int proc) {
        return switch (proc) {
            case SETATTR, WRITE, CREATE, MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK -> true;
            default -> false;
        };
    }

    /**
     * Whether a procedure is answered on the I/O thread that decoded it: the metadata
     * lookups (attributes, names, listings, permissions, file-system information), which
     * the kernel's dentry and inode caches answer in microseconds; a hand-off to another
     * thread would cost more than the work. Reads, writes, commits and every change run on
     * virtual threads, since they may wait on the disk.
     */
    public static boolean quick(int proc) {
        return switch (proc) {
            case NULL, GETATTR, LOOKUP, ACCESS, READLINK, READDIR, READDIRPLUS, FSSTAT, FSINFO, PATHCONF -> true;
            default -> false;
        };
    }

    /**
     * An upper bound of a reply's size, read from the untrusted arguments (for the
     * in-flight budget): READ its count (at most {@link #MAX_IO}), READDIR and READDIRPLUS
     * their maxcount (at most four times that), others 4 KiB.
     */
    public static int replySize(int proc, ByteBuffer args) {
        int small = 4096;
        if (proc != READ && proc != READDIR && proc != READDIRPLUS) {
            return small;
        }
        XdrIn in = new XdrIn(args);
        try {
            in.readOpaque(64);
            if (proc == READ) {
                in.readLong();
                return small + (int) Math.min(Integer.toUnsignedLong(in.readInt()), MAX_IO);
            }
            in.readLong();
            in.readFixed(8);
            int count = in.readInt();
            if (proc == READDIRPLUS) {
                count = in.readInt();
            }
            return small + (int) Math.min(Integer.toUnsignedLong(count), 4L * MAX_IO);
        } catch (GarbageArgsException e) {
            return small;
        }
    }

    /**
     * Whether a retransmission of the procedure must get the first reply rather than run
     * again (the duplicate-request cache): the non-idempotent ones. WRITE is idempotent.
     */
    public static boolean nonIdempotent(int proc) {
        return proc != WRITE && modifies(proc);
    }

    /** A failed operation: the NFS status to answer with. */
    static final class NfsException extends Exception {
        final int status;

        NfsException(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private static NfsException fail(int status) {
        return new NfsException(status);
    }

    /** One call's context: the rule that admitted the caller, its squashed credentials, and the files it opened. */
    private record Ctx(Caller caller, ExportRule rule, Creds creds, List<FileIndex.Found> opened) {
        Ctx(Caller caller, ExportRule rule, Creds creds) {
            this(caller, rule, creds, new ArrayList<>(2));
        }
    }

    /**
     * Answers one call.
     *
     * @return the reply body (what follows the accepted-reply header)
     * @throws GarbageArgsException if the arguments cannot be decoded
     */
    public XdrOut call(int proc, XdrIn in, Caller caller) throws GarbageArgsException {
        XdrOut out = new XdrOut(proc == READ ? 256 : 512);
        if (proc == NULL) {
            return out;
        }
        ExportRule rule = export.rule(caller.address());
        Ctx ctx = rule == null ? null : new Ctx(caller, rule, Creds.of(caller, rule));
        XdrIn args = recorder == null ? null : in.duplicate();
        try {
            dispatch(proc, in, ctx, out);
        } finally {
            if (ctx != null) {
                if (recorder != null) {
                    recorder.record(proc, args, ctx.opened, out, caller);
                }
                ctx.opened.forEach(FileIndex.Found::close);
            }
        }
        if (in.remaining() > 0 && proc != WRITE) {
            // Trailing bytes are tolerated (some clients pad), as Linux nfsd does.
            LOG.trace("{} trailing bytes after {}", in.remaining(), NAMES.get(proc));
        }
        return out;
    }

    private void dispatch(int proc, XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        switch (proc) {
            case GETATTR -> getattr(in, ctx, out);
            case SETATTR -> setattr(in, ctx, out);
            case LOOKUP -> lookup(in, ctx, out);
            case ACCESS -> access(in, ctx, out);
            case READLINK -> readlink(in, ctx, out);
            case READ -> read(in, ctx, out);
            case WRITE -> write(in, ctx, out);
            case CREATE -> create(in, ctx, out);
            case MKDIR -> mkdir(in, ctx, out);
            case SYMLINK -> symlink(in, ctx, out);
            case MKNOD -> mknod(in, ctx, out);
            case REMOVE -> remove(in, ctx, out, false);
            case RMDIR -> remove(in, ctx, out, true);
            case RENAME -> rename(in, ctx, out);
            case LINK -> link(in, ctx, out);
            case READDIR -> readdir(in, ctx, out, false);
            case READDIRPLUS -> readdir(in, ctx, out, true);
            case FSSTAT -> fsstat(in, ctx, out);
            case FSINFO -> fsinfo(in, ctx, out);
            case PATHCONF -> pathconf(in, ctx, out);
            case COMMIT -> commit(in, ctx, out);
            default -> throw new IllegalArgumentException("procedure " + proc);
        }
    }

    // ------------------------------------------------------------------ helpers

    private FileIndex.Found resolve(byte[] fh, Ctx ctx) throws NfsException {
        if (ctx == null) {
            export.countDenied();
            throw fail(ACCES);
        }
        if (ctx.rule.secure() && !ctx.caller.reservedPort()) {
            export.countDenied();
            throw fail(PERM);
        }
        FileHandles.Id id = export.handles().decode(fh);
        if (id == null) {
            throw fail(BADHANDLE);
        }
        try {
            FileIndex.Found f = export.index().find(id.dev(), id.ino());
            if (f == null) {
                throw fail(STALE);
            }
            ctx.opened.add(f);
            if (id.generation() != 0 && f.stat().btimeNanos() != id.generation()) {
                throw fail(STALE); // a later file with the inode number of the handle's
            }
            return f;
        } catch (IOException e) {
            throw fail(IO);
        }
    }

    /** The folder of {@code fh}, resolved, and {@code name} checked as a name of an entry in it. */
    private FileIndex.Found folder(byte[] fh, String name, Ctx ctx) throws NfsException {
        FileIndex.Found dir = resolve(fh, ctx);
        requireDir(dir.stat());
        checkName(name);
        return dir;
    }

    private static byte[] readHandle(XdrIn in) throws GarbageArgsException {
        return in.readOpaque(64);
    }

    private static String readName(XdrIn in) throws GarbageArgsException {
        byte[] b = in.readOpaque(MAX_PATH);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void checkName(String name) throws NfsException {
        if (name.isEmpty()) {
            throw fail(NOENT);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            throw fail(NAMETOOLONG);
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw fail(INVAL);
        }
    }

    private static void requireDir(Stat s) throws NfsException {
        if (!s.isDirectory()) {
            throw fail(NOTDIR);
        }
    }

    private static void requireWritable(Ctx ctx) throws NfsException {
        if (!ctx.rule.readWrite()) {
            throw fail(ROFS);
        }
    }

    /** Write and search permission in a directory, as creating or removing an entry needs. */
    private static void requireDirChange(Ctx ctx, Stat dir) throws NfsException {
        requireWritable(ctx);
        if (!ctx.creds.may(dir, 3)) {
            throw fail(ACCES);
        }
    }

    /** The sticky-bit rule: in a sticky directory only the owner of the entry or of the directory (or root) may remove it. */
    private static void requireSticky(Ctx ctx, Stat dir, Stat victim) throws NfsException {
        if ((dir.mode() & 01000) != 0 && !ctx.creds.root() && ctx.creds.uid() != dir.uid() && ctx.creds.uid() != victim.uid()) {
            throw fail(ACCES);
        }
    }

    static int status(IOException e) {
        if (e instanceof NoSuchFileException) {
            return NOENT;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EXIST;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return NOTEMPTY;
        }
        if (e instanceof AccessDeniedException) {
            return ACCES;
        }
        if (e instanceof NotDirectoryException) {
            return NOTDIR;
        }
        if (e instanceof Posix.ErrnoException x) {
            return switch (x.errno()) {
                case 1 -> PERM;
                case 2 -> NOENT;
                case 6 -> NXIO;
                case 13 -> ACCES;
                case 17 -> EXIST;
                case 18 -> XDEV;
                case 19 -> NODEV;
                case 20 -> NOTDIR;
                case 21 -> ISDIR;
                case 22, 40 -> INVAL;
                case 27 -> FBIG;
                case 28 -> NOSPC;
                case 30 -> ROFS;
                case 31 -> MLINK;
                case 36 -> NAMETOOLONG;
                case 39 -> NOTEMPTY;
                case 122 -> DQUOT;
                default -> IO;
            };
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left")) {
            return NOSPC;
        }
        return IO;
    }

    private Stat statOrNull(Path p) {
        try {
            return Posix.lstat(p);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ encoders

    public static int ftype(Stat s) {
        return switch (s.type()) {
            case Stat.S_IFREG -> NF3REG;
            case Stat.S_IFDIR -> NF3DIR;
            case Stat.S_IFBLK -> NF3BLK;
            case Stat.S_IFCHR -> NF3CHR;
            case Stat.S_IFLNK -> NF3LNK;
            case Stat.S_IFSOCK -> NF3SOCK;
            case Stat.S_IFIFO -> NF3FIFO;
            default -> NF3REG;
        };
    }

    private static void time(XdrOut o, long nanos) {
        o.writeInt((int) Math.floorDiv(nanos, 1_000_000_000L));
        o.writeInt((int) Math.floorMod(nanos, 1_000_000_000L));
    }

    private void fattr(XdrOut o, Stat s) {
        o.writeInt(ftype(s));
        o.writeInt(s.permissions());
        o.writeInt((int) Math.min(s.nlink(), 0xFFFFFFFFL));
        o.writeInt(s.uid());
        o.writeInt(s.gid());
        o.writeLong(s.size());
        o.writeLong(s.blocks() * 512);
        o.writeInt((int) LinuxSyscalls.major(s.rdev()));
        o.writeInt((int) LinuxSyscalls.minor(s.rdev()));
        o.writeLong(fsid);
        o.writeLong(s.ino());
        time(o, s.atimeNanos());
        time(o, s.mtimeNanos());
        time(o, s.ctimeNanos());
    }

    /** An XDR optional ({@code *} in RFC 1813): false, or true and the value. */
    private static <T> void optional(XdrOut o, T value, java.util.function.BiConsumer<XdrOut, T> encode) {
        o.writeBoolean(value != null);
        if (value != null) {
            encode.accept(o, value);
        }
    }

    private void postOp(XdrOut o, Stat s) {
        optional(o, s, this::fattr);
    }

    private void postOp(XdrOut o, Path p) {
        postOp(o, p == null ? null : statOrNull(p));
    }

    private static void preOp(XdrOut o, Stat s) {
        optional(o, s, (x, v) -> {
            x.writeLong(v.size());
            time(x, v.mtimeNanos());
            time(x, v.ctimeNanos());
        });
    }

    private void wcc(XdrOut o, Stat before, Path p) {
        preOp(o, before);
        postOp(o, p);
    }

    private void postOpHandle(XdrOut o, Stat s) {
        optional(o, s, (x, v) -> x.writeOpaque(export.handle(v)));
    }

    // ------------------------------------------------------------------ sattr3

    /** Decoded {@code sattr3}; -1 / null where not set. */
    record Sattr(int mode, int uid, int gid, long size, int atimeHow, long atime, int mtimeHow, long mtime) {
        static final int DONT_CHANGE = 0, SERVER_TIME = 1, CLIENT_TIME = 2;

        static Sattr read(XdrIn in) throws GarbageArgsException {
            int mode = in.readBoolean() ? in.readInt() & 07777 : -1;
            int uid = in.readBoolean() ? in.readInt() : -1;
            int gid = in.readBoolean() ? in.readInt() : -1;
            long size = in.readBoolean() ? in.readLong() : -1;
            int ah = timeHow(in);
            long at = ah == CLIENT_TIME ? nfsTime(in) : 0;
            int mh = timeHow(in);
            long mt = mh == CLIENT_TIME ? nfsTime(in) : 0;
            return new Sattr(mode, uid, gid, size, ah, at, mh, mt);
        }

        private static int timeHow(XdrIn in) throws GarbageArgsException {
            int how = in.readInt();
            if (how != DONT_CHANGE && how != SERVER_TIME && how != CLIENT_TIME) {
                throw new GarbageArgsException("time_how " + how);
            }
            return how;
        }

        /** An {@code nfstime3} in nanoseconds. */
        static long nfsTime(XdrIn in) throws GarbageArgsException {
            return Integer.toUnsignedLong(in.readInt()) * 1_000_000_000L + Integer.toUnsignedLong(in.readInt());
        }

        boolean empty() {
            return mode < 0 && uid == -1 && gid == -1 && size < 0 && atimeHow == DONT_CHANGE && mtimeHow == DONT_CHANGE;
        }
    }

    /** Checks and applies {@code a} to the file at {@code p}, whose state is {@code s}. */
    private void apply(Ctx ctx, Path p, Stat s, Sattr a) throws NfsException, IOException {
        Creds c = ctx.creds;
        boolean owner = c.root() || c.uid() == s.uid();
        boolean chown = a.uid != -1 && a.uid != s.uid();
        boolean chgrp = a.gid != -1 && a.gid != s.gid();
        if (a.mode >= 0 && !owner) {
            throw fail(PERM);
        }
        if (chown && !c.root()) {
            throw fail(PERM);
        }
        if (chgrp && !c.root() && !(c.uid() == s.uid() && c.inGroup(a.gid))) {
            throw fail(PERM);
        }
        if (a.size >= 0) {
            if (s.isDirectory()) {
                throw fail(ISDIR);
            }
            if (!s.isRegular()) {
                throw fail(INVAL);
            }
            // The owner may truncate a file it cannot write (it may have created it read-only), as Linux nfsd allows.
            if (!c.may(s, 2) && c.uid() != s.uid()) {
                throw fail(ACCES);
            }
        }
        if ((a.atimeHow == Sattr.CLIENT_TIME || a.mtimeHow == Sattr.CLIENT_TIME) && !owner) {
            throw fail(PERM);
        }
        if ((a.atimeHow == Sattr.SERVER_TIME || a.mtimeHow == Sattr.SERVER_TIME) && !owner && !c.may(s, 2)) {
            throw fail(ACCES);
        }
        if (a.size >= 0 && !s.isRegular()) {
            throw fail(s.isDirectory() ? ISDIR : INVAL);
        }
        if (a.size >= 0) {
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(a.size);
            }
        }
        if (chown || chgrp) {
            Posix.lchown(p, chown ? a.uid : -1, chgrp ? a.gid : -1);
        }
        if (a.mode >= 0 && !s.isSymlink()) {
            Posix.chmod(p, a.mode);
        } else if ((chown || chgrp) && !s.isSymlink() && !s.isDirectory() && (s.mode() & 06000) != 0) {
            // chown(2) as root keeps setuid/setgid on Linux only for non-regular files; nothing to restore.
            LOG.trace("chown of {} cleared setuid/setgid", p);
        }
        if (a.atimeHow != Sattr.DONT_CHANGE || a.mtimeHow != Sattr.DONT_CHANGE) {
            long aSec = 0, aNsec = Posix.UTIME_OMIT, mSec = 0, mNsec = Posix.UTIME_OMIT;
            if (a.atimeHow == Sattr.SERVER_TIME) {
                aNsec = Posix.UTIME_NOW;
            } else if (a.atimeHow == Sattr.CLIENT_TIME) {
                aSec = a.atime / 1_000_000_000L;
                aNsec = a.atime % 1_000_000_000L;
            }
            if (a.mtimeHow == Sattr.SERVER_TIME) {
                mNsec = Posix.UTIME_NOW;
            } else if (a.mtimeHow == Sattr.CLIENT_TIME) {
                mSec = a.mtime / 1_000_000_000L;
                mNsec = a.mtime % 1_000_000_000L;
            }
            Posix.setTimes(p, aSec, aNsec, mSec, mNsec);
        }
    }

    /** The owner and group a new entry in {@code dir} gets: the caller's, or the directory's group if it is setgid. */
    private static int[] newOwner(Ctx ctx, Stat dir, Sattr a) {
        int uid = ctx.creds.uid();
        int gid = (dir.mode() & 02000) != 0 ? dir.gid() : ctx.creds.gid();
        if (a != null && a.uid != -1 && ctx.creds.root()) {
            uid = a.uid;
        }
        if (a != null && a.gid != -1 && (ctx.creds.root() || ctx.creds.inGroup(a.gid))) {
            gid = a.gid;
        }
        return new int[] {uid, gid};
    }

    // ------------------------------------------------------------------ the shape of every procedure

    /** A procedure's operation: checks, the change, and the success reply (status OK first). */
    @FunctionalInterface
    private interface Operation {
        void run() throws NfsException, IOException;
    }

    /**
     * What a procedure's failure reply carries after the status (RFC 1813), of the files
     * the call resolved, in order: nothing, their post-operation attributes, or their weak
     * cache consistency data (before and after); absent ones are encoded as absent.
     */
    private enum Tail { NONE, POST_OP, WCC, WCC_WCC, POST_OP_WCC }

    /**
     * Runs a procedure's operation; if it fails, replaces what it wrote by the failure
     * reply: the status and the {@code tail} of the files resolved so far.
     */
    private void reply(Ctx ctx, XdrOut out, Tail tail, Operation operation) {
        int start = out.size();
        int status;
        try {
            operation.run();
            return;
        } catch (NfsException e) {
            status = e.status;
        } catch (IOException e) {
            status = status(e);
        }
        out.truncate(start);
        out.writeInt(status);
        FileIndex.Found first = ctx == null || ctx.opened.isEmpty() ? null : ctx.opened.get(0);
        FileIndex.Found second = ctx == null || ctx.opened.size() < 2 ? null : ctx.opened.get(1);
        switch (tail) {
            case NONE -> { }
            case POST_OP -> postOp(out, first == null ? null : first.stat());
            case WCC -> wcc(out, first);
            case WCC_WCC -> {
                wcc(out, first);
                wcc(out, second);
            }
            case POST_OP_WCC -> {
                postOp(out, first == null ? null : first.stat());
                wcc(out, second);
            }
        }
    }

    private void wcc(XdrOut o, FileIndex.Found f) {
        wcc(o, f == null ? null : f.stat(), f == null ? null : f.path());
    }

    // ------------------------------------------------------------------ procedures

    private void getattr(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        reply(ctx, out, Tail.NONE, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            out.writeInt(OK);
            fattr(out, f.stat());
        });
    }

    private void setattr(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        Sattr a = Sattr.read(in);
        boolean check = in.readBoolean();
        long guard = check ? Sattr.nfsTime(in) : 0;
        reply(ctx, out, Tail.WCC, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            Stat before = f.stat();
            Path p = f.path();
            requireWritable(ctx);
            if (check && guard != before.ctimeNanos()) {
                throw fail(NOT_SYNC);
            }
            apply(ctx, p, before, a);
            out.writeInt(OK);
            wcc(out, before, p);
            export.changedBy(ctx.caller.address(), "SETATTR");
        });
    }

    private void lookup(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        reply(ctx, out, Tail.POST_OP, () -> {
            FileIndex.Found dir = folder(fh, name, ctx);
            if (!ctx.creds.may(dir.stat(), 1)) {
                throw fail(ACCES);
            }
            Stat s = dir.entry(name);
            dir.rememberEntry(s, name);
            out.writeInt(OK);
            out.writeOpaque(export.handle(s));
            postOp(out, s);
            postOp(out, dir.stat());
        });
    }

    /** What a procedure on one file answers after its status and the file's post-operation attributes. */
    @FunctionalInterface
    private interface Answer {
        void write(FileIndex.Found f) throws NfsException, IOException;
    }

    /**
     * The shape of ACCESS, READLINK, FSSTAT, FSINFO and PATHCONF: the file resolved, then OK,
     * its post-operation attributes and the procedure's own fields; a failure (also one
     * thrown by {@code answer}, whose output is then dropped) is its status and the attributes.
     */
    private void onFile(byte[] fh, Ctx ctx, XdrOut out, Answer answer) {
        reply(ctx, out, Tail.POST_OP, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            out.writeInt(OK);
            postOp(out, f.stat());
            answer.write(f);
        });
    }

    private void access(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        int want = in.readInt();
        onFile(fh, ctx, out, f -> {
            Stat s = f.stat();
            Creds c = ctx.creds;
            int granted = 0;
            boolean rw = ctx.rule.readWrite();
            if (c.may(s, 4)) {
                granted |= ACCESS_READ;
            }
            if (s.isDirectory()) {
                if (c.may(s, 1)) {
                    granted |= ACCESS_LOOKUP;
                }
                if (rw && c.may(s, 2)) {
                    granted |= ACCESS_MODIFY | ACCESS_EXTEND | ACCESS_DELETE;
                }
            } else {
                if (rw && c.may(s, 2)) {
                    granted |= ACCESS_MODIFY | ACCESS_EXTEND;
                }
                if (c.may(s, 1)) {
                    granted |= ACCESS_EXECUTE;
                }
            }
            out.writeInt(granted & want);
        });
    }

    private void readlink(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        onFile(readHandle(in), ctx, out, f -> {
            if (!f.stat().isSymlink()) {
                throw fail(INVAL);
            }
            out.writeOpaque(Posix.readlink(f.path()));
        });
    }

    private void read(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        long offset = in.readLong();
        int count = in.readInt();
        reply(ctx, out, Tail.POST_OP, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            Stat s = f.stat();
            if (s.isDirectory()) {
                throw fail(ISDIR);
            }
            if (!s.isRegular()) {
                throw fail(INVAL);
            }
            Creds c = ctx.creds;
            // Linux nfsd lets the owner read, and anyone who may execute (the client reads to exec).
            if (!c.may(s, 4) && !c.may(s, 1) && c.uid() != s.uid()) {
                throw fail(ACCES);
            }
            if (offset < 0) {
                throw fail(INVAL);
            }
            int want = (int) Math.min(Integer.toUnsignedLong(count), ctx.caller.datagram() ? MAX_UDP_IO : MAX_IO);
            ByteBuffer data = DirectBuffers.take();
            data.limit(want);
            final long off = offset;
            int n;
            try {
                n = offset >= s.size() ? 0 : export.withChannel(f.path(), s, false, ch -> {
                    int total = 0;
                    while (data.hasRemaining()) {
                        int r = ch.read(data, off + total);
                        if (r <= 0) {
                            break;
                        }
                        total += r;
                    }
                    return total;
                });
            } catch (IOException e) {
                DirectBuffers.release(data);
                throw e;
            }
            data.flip();
            out.writeInt(OK);
            postOp(out, s);
            out.writeInt(n);
            out.writeBoolean(n < want || offset + n >= s.size());
            out.dataTail(data);
        });
    }

    private void write(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        long offset = in.readLong();
        int count = in.readInt();
        int stable = in.readInt();
        ByteBuffer data = in.readOpaqueView(MAX_IO);
        if (stable < UNSTABLE || stable > FILE_SYNC) {
            throw new GarbageArgsException("stable_how " + stable);
        }
        reply(ctx, out, Tail.WCC, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            Stat before = f.stat();
            Path p = f.path();
            requireWritable(ctx);
            if (before.isDirectory()) {
                throw fail(ISDIR);
            }
            if (!before.isRegular()) {
                throw fail(INVAL);
            }
            Creds c = ctx.creds;
            if (!c.may(before, 2) && c.uid() != before.uid()) {
                throw fail(ACCES);
            }
            if (offset < 0) {
                throw fail(INVAL);
            }
            int n = (int) Math.min(Integer.toUnsignedLong(count), data.remaining());
            data.limit(data.position() + n);
            final long off = offset;
            final boolean sync = stable != UNSTABLE;
            export.withChannel(p, before, true, ch -> {
                long pos = off;
                ByteBuffer d = data.duplicate();
                while (d.hasRemaining()) {
                    pos += ch.write(d, pos);
                }
                if (sync) {
                    ch.force(stable == FILE_SYNC);
                }
                return null;
            });
            out.writeInt(OK);
            wcc(out, before, p);
            out.writeInt(n);
            out.writeInt(stable == UNSTABLE ? UNSTABLE : FILE_SYNC);
            out.writeFixed(export.writeVerifier());
            export.changedBy(ctx.caller.address(), "WRITE");
        });
    }

    private void commit(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        in.readLong();
        in.readInt();
        reply(ctx, out, Tail.WCC, () -> {
            FileIndex.Found f = resolve(fh, ctx);
            Stat before = f.stat();
            Path p = f.path();
            if (!before.isRegular()) {
                throw fail(before.isDirectory() ? ISDIR : INVAL);
            }
            if (ctx.rule.readWrite()) {
                export.withChannel(p, before, true, ch -> {
                    ch.force(true);
                    return null;
                });
                export.closeWriter(before);
            }
            out.writeInt(OK);
            wcc(out, before, p);
            out.writeFixed(export.writeVerifier());
        });
    }

    /** Shared front of CREATE, MKDIR, SYMLINK, MKNOD: the directory, checked, and the new path. */
    private record Where(FileIndex.Found dir, Path path, String name) {
    }

    private Where where(byte[] fh, String name, Ctx ctx) throws NfsException {
        FileIndex.Found dir = folder(fh, name, ctx);
        requireDirChange(ctx, dir.stat());
        if (name.equals(".") || name.equals("..")) {
            throw fail(EXIST);
        }
        return new Where(dir, dir.path().resolve(name), name);
    }

    private void created(XdrOut out, Where w, Path p) {
        Stat s = statOrNull(p);
        if (s != null) {
            export.index().remember(s, p);
        }
        out.writeInt(OK);
        postOpHandle(out, s);
        postOp(out, s);
        wcc(out, w.dir.stat(), w.dir.path());
    }


    private void create(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        int how = in.readInt();
        if (how < 0 || how > 2) {
            throw new GarbageArgsException("createmode3 " + how);
        }
        Sattr a = how == 2 ? null : Sattr.read(in);
        byte[] verf = how == 2 ? in.readFixed(8) : null;
        reply(ctx, out, Tail.WCC, () -> {
            Where w = where(fh, name, ctx);
            Path p = w.path;
            Stat existing = statOrNull(p);
            if (existing != null) {
                if (how == 1) {
                    throw fail(EXIST);
                }
                if (how == 2) {
                    long vm = ((verf[0] & 0x7fL) << 24) | ((verf[1] & 0xffL) << 16) | ((verf[2] & 0xffL) << 8) | (verf[3] & 0xffL);
                    long va = ((verf[4] & 0x7fL) << 24) | ((verf[5] & 0xffL) << 16) | ((verf[6] & 0xffL) << 8) | (verf[7] & 0xffL);
                    if (existing.isRegular() && existing.mtimeNanos() / 1_000_000_000L == vm
                            && existing.atimeNanos() / 1_000_000_000L == va) {
                        created(out, w, p); // a retransmission of the same exclusive create
                        return;
                    }
                    throw fail(EXIST);
                }
                if (!existing.isRegular()) {
                    throw fail(EXIST);
                }
                if (!a.empty()) {
                    apply(ctx, p, existing, a);
                }
                created(out, w, p);
                export.changedBy(ctx.caller.address(), "CREATE");
                return;
            }
            Files.newByteChannel(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            int[] owner = newOwner(ctx, w.dir.stat(), a);
            Posix.lchown(p, owner[0], owner[1]);
            if (how == 2) {
                Posix.chmod(p, 0);
                long vm = ((verf[0] & 0x7fL) << 24) | ((verf[1] & 0xffL) << 16) | ((verf[2] & 0xffL) << 8) | (verf[3] & 0xffL);
                long va = ((verf[4] & 0x7fL) << 24) | ((verf[5] & 0xffL) << 16) | ((verf[6] & 0xffL) << 8) | (verf[7] & 0xffL);
                Posix.setTimes(p, va, 0, vm, 0);
            } else {
                Posix.chmod(p, a.mode >= 0 ? a.mode : 0644);
                if (a.size > 0 || a.atimeHow != Sattr.DONT_CHANGE || a.mtimeHow != Sattr.DONT_CHANGE) {
                    Sattr rest = new Sattr(-1, -1, -1, a.size, a.atimeHow, a.atime, a.mtimeHow, a.mtime);
                    apply(ctx, p, Posix.lstat(p), rest);
                }
            }
            created(out, w, p);
            export.changedBy(ctx.caller.address(), "CREATE");
        });
    }

    private void mkdir(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        Sattr a = Sattr.read(in);
        newEntry(ctx, out, fh, name, a, "MKDIR", w -> {
            Posix.mkdir(w.path, 0700);
            int mode = a.mode >= 0 ? a.mode : 0755;
            return (w.dir.stat().mode() & 02000) != 0 ? mode | 02000 : mode; // setgid folders pass it on
        });
    }

    /** How MKDIR, SYMLINK and MKNOD make their entry: makes it and returns its mode (-1: none to set). */
    @FunctionalInterface
    private interface EntryMaker {
        int make(Where w) throws NfsException, IOException;
    }

    /** The shape of MKDIR, SYMLINK and MKNOD: the entry made, owned by the caller (or the setgid folder's group), its mode set. */
    private void newEntry(Ctx ctx, XdrOut out, byte[] fh, String name, Sattr a, String what, EntryMaker maker) {
        reply(ctx, out, Tail.WCC, () -> {
            Where w = where(fh, name, ctx);
            int mode = maker.make(w);
            int[] owner = newOwner(ctx, w.dir.stat(), a);
            Posix.lchown(w.path, owner[0], owner[1]);
            if (mode >= 0) {
                Posix.chmod(w.path, mode);
            }
            created(out, w, w.path);
            export.changedBy(ctx.caller.address(), what);
        });
    }

    private void symlink(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        Sattr a = Sattr.read(in);
        byte[] target = in.readOpaque(MAX_PATH);
        newEntry(ctx, out, fh, name, a, "SYMLINK", w -> {
            if (target.length == 0) {
                throw fail(INVAL);
            }
            Posix.symlink(target, w.path);
            return -1; // a link has no mode of its own
        });
    }

    private void mknod(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        int type = in.readInt();
        if (type < NF3REG || type > NF3FIFO) {
            throw new GarbageArgsException("ftype3 " + type);
        }
        boolean device = type == NF3CHR || type == NF3BLK;
        Sattr a = device || type == NF3SOCK || type == NF3FIFO ? Sattr.read(in) : null;
        long major = device ? Integer.toUnsignedLong(in.readInt()) : 0;
        long minor = device ? Integer.toUnsignedLong(in.readInt()) : 0;
        newEntry(ctx, out, fh, name, a, "MKNOD", w -> {
            int fmt = switch (type) {
                case NF3CHR -> Stat.S_IFCHR;
                case NF3BLK -> Stat.S_IFBLK;
                case NF3SOCK -> Stat.S_IFSOCK;
                case NF3FIFO -> Stat.S_IFIFO;
                default -> throw fail(BADTYPE);
            };
            if ((type == NF3CHR || type == NF3BLK) && !ctx.creds.root()) {
                throw fail(PERM);
            }
            Path p = w.path;
            if (statOrNull(p) != null) {
                throw fail(EXIST);
            }
            int mode = a.mode >= 0 ? a.mode : 0644;
            LinuxSyscalls.mknod(p.toString(), fmt | (mode & 0777), LinuxSyscalls.makedev(major, minor));
            return mode;
        });
    }

    private void remove(XdrIn in, Ctx ctx, XdrOut out, boolean dirOnly) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        String name = readName(in);
        reply(ctx, out, Tail.WCC, () -> {
            FileIndex.Found dir = folder(fh, name, ctx);
            requireDirChange(ctx, dir.stat());
            if (name.equals(".") || name.equals("..")) {
                throw fail(dirOnly ? (name.equals(".") ? INVAL : NOTEMPTY) : ACCES);
            }
            Path p = dir.path().resolve(name);
            Stat victim = Posix.lstat(p);
            requireSticky(ctx, dir.stat(), victim);
            if (dirOnly) {
                if (!victim.isDirectory()) {
                    throw fail(NOTDIR);
                }
                Posix.rmdir(p);
            } else {
                if (victim.isDirectory()) {
                    throw fail(ISDIR);
                }
                Posix.unlink(p);
            }
            if (victim.nlink() <= 1 || victim.isDirectory()) {
                export.index().forget(victim);
                export.closeChannels(victim);
            }
            out.writeInt(OK);
            wcc(out, dir.stat(), dir.path());
            export.changedBy(ctx.caller.address(), dirOnly ? "RMDIR" : "REMOVE");
        });
    }

    private void rename(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fromFh = readHandle(in);
        String fromName = readName(in);
        byte[] toFh = readHandle(in);
        String toName = readName(in);
        reply(ctx, out, Tail.WCC_WCC, () -> {
            FileIndex.Found from = resolve(fromFh, ctx);
            FileIndex.Found to = resolve(toFh, ctx);
            requireDir(from.stat());
            requireDir(to.stat());
            checkName(fromName);
            checkName(toName);
            requireDirChange(ctx, from.stat());
            requireDirChange(ctx, to.stat());
            if (fromName.equals(".") || fromName.equals("..") || toName.equals(".") || toName.equals("..")) {
                throw fail(INVAL);
            }
            Path src = from.path().resolve(fromName);
            Path dst = to.path().resolve(toName);
            Stat moved = Posix.lstat(src);
            requireSticky(ctx, from.stat(), moved);
            Stat replaced = statOrNull(dst);
            if (replaced != null) {
                requireSticky(ctx, to.stat(), replaced);
            }
            if (moved.isDirectory() && dst.startsWith(src) && !dst.equals(src)) {
                throw fail(INVAL);
            }
            Posix.rename(src, dst);
            export.index().remember(moved, dst);
            if (moved.isDirectory()) {
                export.index().moved(src, dst);
                export.index().closeCached(moved); // its descriptor's path hint is the old one
            }
            if (replaced != null && (replaced.dev() != moved.dev() || replaced.ino() != moved.ino()) && replaced.nlink() <= 1) {
                export.index().forget(replaced);
                export.closeChannels(replaced);
            }
            out.writeInt(OK);
            wcc(out, from.stat(), from.path());
            wcc(out, to.stat(), to.path());
            export.changedBy(ctx.caller.address(), "RENAME");
        });
    }


    private void link(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        byte[] dirFh = readHandle(in);
        String name = readName(in);
        reply(ctx, out, Tail.POST_OP_WCC, () -> {
            FileIndex.Found file = resolve(fh, ctx);
            FileIndex.Found dir = folder(dirFh, name, ctx);
            requireDirChange(ctx, dir.stat());
            if (file.stat().isDirectory()) {
                throw fail(ISDIR);
            }
            if (name.equals(".") || name.equals("..")) {
                throw fail(EXIST);
            }
            Posix.link(file.path(), dir.path().resolve(name));
            out.writeInt(OK);
            postOp(out, file.path());
            wcc(out, dir.stat(), dir.path());
            export.changedBy(ctx.caller.address(), "LINK");
        });
    }

    // ------------------------------------------------------------------ READDIR

    /** A directory's names sorted by cookie (a hash of the name, stable across restarts and changes). */
    private record Listing(long mtime, long ctime, long[] cookies, String[] names) {
    }

    /** The cookie of a name: a 63-bit hash, never 0, 1 or 2 (those are the start, "." and ".."). */
    public static long cookie(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h &= Long.MAX_VALUE;
        return h < 3 ? h + 3 : h;
    }

    private Listing listing(FileIndex.Found dir) throws IOException {
        FileIndex.Key key = new FileIndex.Key(dir.stat().dev(), dir.stat().ino());
        synchronized (listings) {
            Listing l = listings.get(key);
            if (l != null && l.mtime == dir.stat().mtimeNanos() && l.ctime == dir.stat().ctimeNanos()) {
                return l;
            }
        }
        if (dir.stat().size() > LARGE_FOLDER) {
            RpcPrograms.slowWorkAhead(); // a large folder not listed yet (or changed) is listed and sorted on a worker
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.path())) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        long[][] pairs = new long[names.size()][];
        String[] byIndex = names.toArray(new String[0]);
        for (int i = 0; i < byIndex.length; i++) {
            pairs[i] = new long[] {cookie(byIndex[i]), i};
        }
        Arrays.sort(pairs, (x, y) -> Long.compare(x[0], y[0]));
        long[] cookies = new long[pairs.length];
        String[] sorted = new String[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            cookies[i] = pairs[i][0];
            sorted[i] = byIndex[(int) pairs[i][1]];
        }
        Listing l = new Listing(dir.stat().mtimeNanos(), dir.stat().ctimeNanos(), cookies, sorted);
        synchronized (listings) {
            listings.put(key, l);
            if (listings.size() > 512) {
                var it = listings.entrySet().iterator();
                it.next();
                it.remove();
            }
        }
        return l;
    }

    private void readdir(XdrIn in, Ctx ctx, XdrOut out, boolean plus) throws GarbageArgsException {
        byte[] fh = readHandle(in);
        long cookie = in.readLong();
        in.readFixed(8);
        int dircount = in.readInt();
        int maxcount = plus ? in.readInt() : dircount;
        reply(ctx, out, Tail.POST_OP, () -> {
            FileIndex.Found dir = resolve(fh, ctx);
            requireDir(dir.stat());
            if (!ctx.creds.may(dir.stat(), 4)) {
                throw fail(ACCES);
            }
            Listing l = listing(dir);
            long max = Math.min(Integer.toUnsignedLong(maxcount), ctx.caller.datagram() ? MAX_UDP_IO : 4L * MAX_IO);
            long dirMax = plus ? Integer.toUnsignedLong(dircount) : max;
            XdrOut entries = new XdrOut(8192);
            long used = 4 + 4 + 84 + 8 + 4 + 4; // status, dir attributes, verifier, list end, eof
            long dirUsed = 0;
            int count = 0;
            boolean eof = true;
            // Entry -2 is ".", -1 "..", then the listing from the entry after the cookie.
            int i;
            if (cookie < 1) {
                i = -2;
            } else if (cookie < 2) {
                i = -1;
            } else if (cookie < 3) {
                i = 0;
            } else {
                i = Arrays.binarySearch(l.cookies, cookie);
                i = i >= 0 ? i + 1 : -i - 1;
            }
            for (; i < l.names.length; i++) {
                String name = i == -2 ? "." : i == -1 ? ".." : l.names[i];
                long ck = i < 0 ? i + 3 : l.cookies[i];
                Stat s;
                try {
                    s = dir.entry(name);
                } catch (IOException e) {
                    continue; // removed meanwhile
                }
                byte[] nb = i < 0 ? (i == -2 ? DOT : DOTDOT) : name.getBytes(StandardCharsets.UTF_8);
                int base = 4 + 8 + 4 + ((nb.length + 3) & ~3) + 8;
                int size = base + (plus ? 4 + 84 + 4 + 4 + FileHandles.LENGTH : 0);
                if (used + size > max || dirUsed + base > dirMax) {
                    eof = false;
                    break;
                }
                used += size;
                dirUsed += base;
                count++;
                entries.writeBoolean(true);
                entries.writeLong(s.ino());
                entries.writeOpaque(nb);
                entries.writeLong(ck);
                if (plus) {
                    dir.rememberEntry(s, name);
                    postOp(entries, s);
                    postOpHandle(entries, s);
                }
            }
            if (count == 0 && !eof) {
                throw fail(TOOSMALL);
            }
            out.writeInt(OK);
            postOp(out, dir.stat());
            out.writeFixed(new byte[8]);
            out.writeFixed(entries.array(), 0, entries.size());
            out.writeBoolean(false);
            out.writeBoolean(eof);
        });
    }

    // ------------------------------------------------------------------ file system information

    private void fsstat(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        onFile(readHandle(in), ctx, out, f -> {
            FileStore store = Files.getFileStore(export.root());
            out.writeLong(store.getTotalSpace());
            out.writeLong(store.getUnallocatedSpace());
            out.writeLong(store.getUsableSpace());
            long files = store.getTotalSpace() / 4096;
            out.writeLong(files);
            out.writeLong(files / 2);
            out.writeLong(files / 2);
            out.writeInt(0);
        });
    }

    private void fsinfo(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        onFile(readHandle(in), ctx, out, f -> {
            out.writeInt(MAX_IO); // rtmax
            out.writeInt(MAX_IO); // rtpref
            out.writeInt(4096); // rtmult
            out.writeInt(MAX_IO); // wtmax
            out.writeInt(MAX_IO); // wtpref
            out.writeInt(4096); // wtmult
            out.writeInt(65536); // dtpref
            out.writeLong(Long.MAX_VALUE); // maxfilesize
            out.writeInt(0); // time_delta: 1 ns
            out.writeInt(1);
            out.writeInt(0x1 | 0x2 | 0x8 | 0x10); // LINK, SYMLINK, HOMOGENEOUS, CANSETTIME
        });
    }

    private void pathconf(XdrIn in, Ctx ctx, XdrOut out) throws GarbageArgsException {
        onFile(readHandle(in), ctx, out, f -> {
            out.writeInt(65000); // linkmax (ext4)
            out.writeInt(MAX_NAME);
            out.writeBoolean(true); // no_trunc
            out.writeBoolean(true); // chown_restricted
            out.writeBoolean(false); // case_insensitive
            out.writeBoolean(true); // case_preserving
        });
    }

    /** The channel type, for tests. */
    static Class<?> channelType() {
        return FileChannel.class;
    }
}
