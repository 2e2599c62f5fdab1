package io.netboot4j.nfsroot.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.netboot4j.core.internal.LinuxSyscalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * File-system calls the NFS server needs beyond {@code java.nio}: {@code lstat} with
 * {@code st_blocks} and nanosecond times, {@code utimensat} on links, {@code lchown}.
 * Through the FFM API on Linux x86-64 and aarch64; {@code java.nio} elsewhere.
 */
public final class Posix {

    /** errno values the NFS layer maps to NFS3ERR codes. */
    public static final int ENOENT = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final String ARCH = System.getProperty("os.arch", "");
    static final boolean X86 = ARCH.equals("amd64") || ARCH.equals("x86_64");
    private static final boolean ARM = ARCH.equals("aarch64");
    private static final boolean NATIVE = LinuxSyscalls.isLinux() && (X86 || ARM);

    private static final MethodHandle STATX = handle("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final int STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
    private static final MethodHandle UTIMENSAT = handle("utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle LCHOWN = handle("lchown", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private static final MethodHandle SYMLINK = handle("symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle READLINK = handle("readlink", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle RENAME = handle("rename", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle UNLINK = handle("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle RMDIR = handle("rmdir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MKDIR = handle("mkdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LINK = handle("link", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle MKNOD = handle("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CHMOD = handle("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code UTIME_NOW} and {@code UTIME_OMIT} of utimensat. */
    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    private Posix() {
    }

    static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... more) {
        if (!NATIVE) {
            return null;
        }
        Linker.Option[] options = java.util.Arrays.copyOf(more, more.length + 1);
        options[more.length] = ERRNO_OPTION;
        return LIBC.find(name).map(s -> LINKER.downcallHandle(s, fd, options)).orElse(null);
    }

    /** An errno-carrying failure of a system call. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + LinuxSyscalls.strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        /** The errno value. */
        public int errno() {
            return errno;
        }
    }

    /** {@code lstat(2)}: never follows a final symbolic link. */
    public static Stat lstat(Path path) throws IOException {
        int fd = Anchor.fdOf(path);
        if (fd >= 0) {
            return PosixAt.fstat(fd);
        }
        if (STATX == null) {
            return javaStat(path);
        }
        return statx(AT_FDCWD, path.toString(), AT_SYMLINK_NOFOLLOW);
    }

    /**
     * {@code statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_BTIME)}: the attributes of
     * {@code lstat} and the birth time where the file system has one.
     */
    static Stat statx(int dirfd, String path, int flags) throws IOException {
        if (!Thread.currentThread().isVirtual() && path.length() < Scratch.NAME / 3) {
            Scratch s = SCRATCH.get();
            return statx(dirfd, path, flags, s.state, s.buf, s.name(path));
        }
        try (Arena a = Arena.ofConfined()) {
            return statx(dirfd, path, flags, a.allocate(CAPTURE), a.allocate(256, 8), a.allocateFrom(path));
        }
    }

    /**
     * What a platform thread (a connection's reader, which answers most {@code statx} calls)
     * reuses for each: the errno capture, the {@code struct statx} and the name, so a call
     * allocates no native memory.
     */
    private static final class Scratch {
        static final int NAME = 1024;
        final MemorySegment state;
        final MemorySegment buf;
        final MemorySegment nameBuf;

        Scratch() {
            MemorySegment all = Arena.ofAuto().allocate(512 + NAME, 8);
            state = all.asSlice(0, CAPTURE.byteSize());
            buf = all.asSlice(256, 256);
            nameBuf = all.asSlice(512, NAME);
        }

        /** {@code path} as a C string in this scratch (its UTF-8 bytes fit: at most 3 a char). */
        MemorySegment name(String path) {
            nameBuf.setString(0, path);
            return nameBuf;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static Stat statx(int dirfd, String path, int flags, MemorySegment st, MemorySegment buf, MemorySegment name)
            throws IOException {
        try {
            int rc = (int) STATX.invokeExact(st, dirfd, name, flags, STATX_BASIC_STATS | STATX_BTIME, buf);
            if (rc != 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == ENOENT) {
                    throw new NoSuchFileException(path);
                }
                throw new ErrnoException("statx " + path, e);
            }
            boolean born = (buf.get(JAVA_INT, 0) & STATX_BTIME) != 0;
            return new Stat(LinuxSyscalls.makedev(buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140)), buf.get(JAVA_LONG, 32),
                    Short.toUnsignedInt(buf.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 28)), Integer.toUnsignedLong(buf.get(JAVA_INT, 16)),
                    buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24), LinuxSyscalls.makedev(buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132)),
                    buf.get(JAVA_LONG, 40), buf.get(JAVA_LONG, 48), time(buf, 64), time(buf, 112), time(buf, 96),
                    born ? time(buf, 80) : 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("statx " + path, t);
        }
    }

    /** A {@code struct statx_timestamp} (seconds, then 32-bit nanoseconds) in nanoseconds. */
    private static long time(MemorySegment buf, long offset) {
        return buf.get(JAVA_LONG, offset) * 1_000_000_000L + Integer.toUnsignedLong(buf.get(JAVA_INT, offset + 8));
    }

    private static Stat javaStat(Path path) throws IOException {
        Map<String, Object> m = Files.readAttributes(path,
                "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        long size = (Long) m.get("size");
        return new Stat((Long) m.get("dev"), (Long) m.get("ino"), (Integer) m.get("mode"), ((Number) m.get("nlink")).longValue(),
                (Integer) m.get("uid"), (Integer) m.get("gid"), (Long) m.get("rdev"), size, (size + 511) / 512,
                nanos((FileTime) m.get("lastAccessTime")), nanos((FileTime) m.get("lastModifiedTime")), nanos((FileTime) m.get("ctime")), 0);
    }

    private static long nanos(FileTime t) {
        return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * {@code utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW)}; a time of
     * {@link #UTIME_NOW} or {@link #UTIME_OMIT} in the nanosecond field works as in C.
     */
    public static void setTimes(Path path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) throws IOException {
        int fd = Anchor.fdOf(path);
        if (UTIMENSAT == null && fd < 0) {
            long now = System.currentTimeMillis();
            if (mtimeNsec != UTIME_OMIT) {
                FileTime t = mtimeNsec == UTIME_NOW ? FileTime.fromMillis(now)
                        : FileTime.from(java.time.Instant.ofEpochSecond(mtimeSec, mtimeNsec));
                Files.setAttribute(path, "basic:lastModifiedTime", t, LinkOption.NOFOLLOW_LINKS);
            }
            if (atimeNsec != UTIME_OMIT) {
                FileTime t = atimeNsec == UTIME_NOW ? FileTime.fromMillis(now)
                        : FileTime.from(java.time.Instant.ofEpochSecond(atimeSec, atimeNsec));
                Files.setAttribute(path, "basic:lastAccessTime", t, LinkOption.NOFOLLOW_LINKS);
            }
            return;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment ts = a.allocate(32, 8);
            ts.set(JAVA_LONG, 0, atimeSec);
            ts.set(JAVA_LONG, 8, atimeNsec);
            ts.set(JAVA_LONG, 16, mtimeSec);
            ts.set(JAVA_LONG, 24, mtimeNsec);
            int rc = fd >= 0
                    ? (int) UTIMENSAT.invokeExact(st, fd, a.allocateFrom(""), ts, AT_SYMLINK_NOFOLLOW | PosixAt.AT_EMPTY_PATH)
                    : (int) UTIMENSAT.invokeExact(st, AT_FDCWD, a.allocateFrom(path.toString()), ts, AT_SYMLINK_NOFOLLOW);
            if (rc != 0) {
                throw new ErrnoException("utimensat " + path, (int) ERRNO.get(st, 0L));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("utimensat " + path, t);
        }
    }

    /** Whether the calls below go through the FFM API (else they fail with an IOException). */
    public static boolean isNative() {
        return NATIVE && SYMLINK != null;
    }

    static long sys(String what, MethodHandle h, Object... args) throws IOException {
        if (h == null) {
            throw new IOException(what + " needs Linux on x86-64 or aarch64");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            Object[] full = new Object[args.length + 1];
            full[0] = st;
            for (int i = 0; i < args.length; i++) {
                full[i + 1] = args[i] instanceof Path p ? a.allocateFrom(p.toString())
                        : args[i] instanceof byte[] b ? cString(a, b) : args[i];
            }
            Object r = h.invokeWithArguments(full);
            long rc = r instanceof Integer i ? i : (Long) r;
            if (rc < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == ENOENT) {
                    throw new NoSuchFileException(what);
                }
                throw new ErrnoException(what, e);
            }
            return rc;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(what, t);
        }
    }

    private static MemorySegment cString(Arena a, byte[] b) {
        MemorySegment s = a.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, b.length, (byte) 0);
        return s;
    }

    /** {@code symlink(target, path)}: the target bytes are stored exactly. */
    public static void symlink(byte[] target, Path path) throws IOException {
        sys("symlink " + path, SYMLINK, target, path);
    }

    /** {@code readlink(2)}: the link's bytes exactly. */
    public static byte[] readlink(Path path) throws IOException {
        int fd = Anchor.fdOf(path);
        if (fd >= 0) {
            return PosixAt.readlink(fd);
        }
        if (READLINK == null) {
            return Files.readSymbolicLink(path).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(4096);
            long n = (long) READLINK.invokeExact(st, a.allocateFrom(path.toString()), buf, 4096L);
            if (n < 0) {
                int e = (int) ERRNO.get(st, 0L);
                if (e == ENOENT) {
                    throw new NoSuchFileException(path.toString());
                }
                throw new ErrnoException("readlink " + path, e);
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("readlink " + path, t);
        }
    }

    /** {@code rename(2)}. */
    public static void rename(Path from, Path to) throws IOException {
        sys("rename " + from + " to " + to, RENAME, from, to);
    }

    /** {@code unlink(2)}. */
    public static void unlink(Path path) throws IOException {
        sys("unlink " + path, UNLINK, path);
    }

    /** {@code rmdir(2)}. */
    public static void rmdir(Path path) throws IOException {
        sys("rmdir " + path, RMDIR, path);
    }

    /** {@code mkdir(2)} (the umask applies; set the mode afterwards). */
    public static void mkdir(Path path, int mode) throws IOException {
        sys("mkdir " + path, MKDIR, path, mode);
    }

    /** {@code link(2)}. */
    public static void link(Path existing, Path newPath) throws IOException {
        int fd = Anchor.fdOf(existing);
        if (fd >= 0) {
            PosixAt.link(fd, newPath);
            return;
        }
        sys("link " + newPath, LINK, existing, newPath);
    }

    /** {@code mknod(2)} with errno. */
    public static void mknod(Path path, int mode, long dev) throws IOException {
        sys("mknod " + path, MKNOD, path, mode, dev);
    }

    /** {@code chmod(2)} with the full 07777 bits. */
    public static void chmod(Path path, int mode) throws IOException {
        if (CHMOD == null) {
            Files.setAttribute(path, "unix:mode", mode);
            return;
        }
        sys("chmod " + path, CHMOD, path, mode);
    }

    /** {@code lchown(2)}; -1 leaves that id unchanged. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        int fd = Anchor.fdOf(path);
        if (fd >= 0) {
            PosixAt.chown(fd, uid, gid);
            return;
        }
        if (LCHOWN == null) {
            if (uid != -1) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (gid != -1) {
                Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            }
            return;
        }
        sys("lchown " + path, LCHOWN, path, uid, gid);
    }
}
