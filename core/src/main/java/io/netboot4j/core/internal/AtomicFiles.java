package io.netboot4j.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files atomically, the one atomic file writer of netboot4j's modules: a temporary
 * file in the target's folder, written and forced to disk, then moved over the target
 * atomically. A reader sees the old file or the new one, never a part; a crash leaves at
 * most a {@code .<name>*.tmp} file beside it.
 */
public final class AtomicFiles {

    /** {@code rw-r--r--}: generated configuration files. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    /** {@code rw-------}: secrets such as keys. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code target}, creating its folder. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code target} ({@link #READABLE}), creating its folder. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, READABLE);
    }

    /**
     * Writes {@code bytes} to {@code target} with {@code permissions}, creating its folder.
     * The permissions are set before the file appears.
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        write(target, bytes, permissions, -1, -1);
    }

    /**
     * Writes {@code bytes} to {@code target} with {@code permissions} and owner
     * {@code uid:gid} (-1: the writer's), creating its folder. Owner and permissions are set
     * before the file appears (a root filesystem's files, as root writes them).
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions, int uid, int gid)
            throws IOException {
        Path tmp = temporary(target);
        try {
            if (uid >= 0) {
                Files.setAttribute(tmp, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
            if (gid >= 0) {
                Files.setAttribute(tmp, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
            Files.setPosixFilePermissions(tmp, permissions);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies {@code source} to {@code target} ({@link #READABLE}) through a temporary file and an atomic move. */
    public static void copy(Path source, Path target) throws IOException {
        Path tmp = temporary(target);
        try {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, READABLE);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves {@code tmp} onto {@code target} atomically, replacing it. */
    public static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
        }
    }

    /** A new empty temporary file beside {@code target} (its folder created), {@code rw-------}. */
    public static Path temporary(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }
}
