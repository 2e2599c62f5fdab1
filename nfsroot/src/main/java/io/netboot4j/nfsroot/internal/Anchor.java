package io.netboot4j.nfsroot.internal;

import java.nio.file.Path;

/**
 * Paths through an open descriptor: {@code /proc/self/fd/N} names exactly the file the
 * descriptor {@code N} was opened on, and {@code /proc/self/fd/N/name} the entry
 * {@code name} of that directory, whatever was renamed or replaced by a symbolic link
 * since. The server opens each file a handle names with {@link PosixAt#openBeneath}
 * (checked against the handle's device and inode), then works through such paths, so no
 * path string is trusted between two system calls. {@link Posix} turns operations on the
 * file itself ({@code lstat}, {@code lchown}, {@code readlink}, {@code link},
 * {@code utimensat}) into their descriptor forms, which do not follow the magic link's
 * target if it is a symbolic link.
 */
final class Anchor {

    private static final Path FDS = Path.of("/proc/self/fd");

    private Anchor() {
    }

    /** The path of descriptor {@code fd}. */
    static Path of(int fd) {
        return FDS.resolve(Integer.toString(fd));
    }

    /** The descriptor {@code path} is exactly the anchor of, or -1. */
    static int fdOf(Path path) {
        if (path.getNameCount() != 4 || !path.startsWith(FDS)) {
            return -1;
        }
        try {
            return Integer.parseInt(path.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The descriptor {@code path} starts with (an anchor or a path below one), or -1. */
    static int baseFd(Path path) {
        if (path.getNameCount() < 4 || !path.startsWith(FDS)) {
            return -1;
        }
        try {
            return Integer.parseInt(path.getName(3).toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
