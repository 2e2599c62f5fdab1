package io.netboot4j.nfsroot.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The descriptor-relative system calls of {@link Anchor}: opening a path beneath a
 * directory without following any symbolic link ({@code openat2} with
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS}, or one
 * {@code openat(O_NOFOLLOW)} per component where {@code openat2} is missing), and
 * {@code statx}, {@code fchownat}, {@code readlinkat}, {@code linkat} on a descriptor
 * itself ({@code AT_EMPTY_PATH}). Descriptors are {@code O_PATH}: they grant no access
 * to the data, and may name a symbolic link.
 */
final class PosixAt {

    static final int AT_EMPTY_PATH = 0x1000;
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NOFOLLOW = Posix.X86 ? 0400000 : 0100000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    private static final long SYS_OPENAT2 = 437;
    private static final int ENOSYS = 38;

    private static final MethodHandle OPENAT = Posix.handle("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle OPENAT2 = Posix.handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle CLOSE = Posix.handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHOWNAT = Posix.handle("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READLINKAT = Posix.handle("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LINKAT = Posix.handle("linkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));

    private static volatile boolean openat2 = OPENAT2 != null;

    private PosixAt() {
    }

    /** Opens a directory {@code O_PATH} (the export root; a trusted path, its last component not followed). */
    static int openRoot(Path dir) throws IOException {
        return (int) Posix.sys("open " + dir, OPENAT, Posix.AT_FDCWD, dir, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
    }

    /**
     * Opens {@code relative} (names without {@code ..}) beneath the directory {@code dirFd},
     * {@code O_PATH}, following no symbolic link: a link in the middle fails the call, a
     * link at the end is opened itself.
     */
    static int openBeneath(int dirFd, Path relative) throws IOException {
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new Posix.ErrnoException("open " + relative, 18); // EXDEV, as RESOLVE_BENEATH
            }
        }
        String rel = relative.toString().isEmpty() ? "." : relative.toString();
        if (openat2) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = a.allocate(Posix.CAPTURE);
                MemorySegment how = a.allocate(24, 8);
                how.set(JAVA_LONG, 0, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                how.set(JAVA_LONG, 8, 0);
                how.set(JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
                long fd = (long) OPENAT2.invokeExact(st, SYS_OPENAT2, dirFd, a.allocateFrom(rel), how, 24L);
                if (fd >= 0) {
                    return (int) fd;
                }
                int e = (int) Posix.ERRNO.get(st, 0L);
                if (e != ENOSYS) {
                    throw e == Posix.ENOENT ? new NoSuchFileException(rel) : new Posix.ErrnoException("openat2 " + rel, e);
                }
                openat2 = false;
            } catch (IOException e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("openat2 " + rel, t);
            }
        }
        int fd = dirFd;
        try {
            for (Path part : relative.toString().isEmpty() ? Path.of(".") : relative) {
                int next = (int) Posix.sys("openat " + part, OPENAT, fd, part, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd != dirFd) {
                    close(fd);
                }
                fd = next;
            }
            return fd;
        } catch (IOException e) {
            if (fd != dirFd) {
                close(fd);
            }
            throw e;
        }
    }

    static void close(int fd) {
        try {
            Posix.sys("close", CLOSE, fd);
        } catch (IOException e) {
            // nothing to do: the descriptor is gone either way
        }
    }

    /** {@code statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)}: the file itself, a symbolic link included. */
    static Stat fstat(int fd) throws IOException {
        return Posix.statx(fd, "", AT_EMPTY_PATH | Posix.AT_SYMLINK_NOFOLLOW);
    }

    /** {@code statx(dirFd, name, AT_SYMLINK_NOFOLLOW)}: an entry of a folder, a symbolic link itself. */
    static Stat statAt(int dirFd, String name) throws IOException {
        return Posix.statx(dirFd, name, Posix.AT_SYMLINK_NOFOLLOW);
    }

    static void chown(int fd, int uid, int gid) throws IOException {
        Posix.sys("fchownat " + fd, FCHOWNAT, fd, Path.of(""), uid, gid, AT_EMPTY_PATH | Posix.AT_SYMLINK_NOFOLLOW);
    }

    static byte[] readlink(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Posix.CAPTURE);
            MemorySegment buf = a.allocate(4096);
            long n = (long) READLINKAT.invokeExact(st, fd, a.allocateFrom(""), buf, 4096L);
            if (n < 0) {
                throw new Posix.ErrnoException("readlinkat " + fd, (int) Posix.ERRNO.get(st, 0L));
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("readlinkat " + fd, t);
        }
    }

    /** {@code linkat(fd, "", AT_FDCWD, newPath, AT_EMPTY_PATH)}: a new name for the file itself (needs CAP_DAC_READ_SEARCH, as root has). */
    static void link(int fd, Path newPath) throws IOException {
        Posix.sys("linkat " + newPath, LINKAT, fd, Path.of(""), Posix.AT_FDCWD, newPath, AT_EMPTY_PATH);
    }
}
