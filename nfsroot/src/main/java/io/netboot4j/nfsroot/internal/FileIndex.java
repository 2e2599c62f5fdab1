package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the path of a file from its (device, inode), the contents of a file handle.
 * Paths are learnt as clients look files up, list directories and create files; each
 * use is checked with {@code lstat} (a renamed or removed file no longer matches). A
 * handle that matches no known path (after a server restart, or a rename of a parent)
 * makes the index walk the export once; one still unknown afterwards is stale.
 * The walk never follows symbolic links, so no handle resolves outside the export.
 */
public final class FileIndex {

    private static final Logger LOG = LoggerFactory.getLogger(FileIndex.class);
    private static final long RESCAN_INTERVAL_NANOS = 2_000_000_000L;

    /** A file's identity. */
    public record Key(long dev, long ino) {
        static Key of(Stat s) {
            return new Key(s.dev(), s.ino());
        }
    }

    /**
     * A file found and opened ({@code O_PATH}, beneath the export, no link followed) and
     * checked against the handle: its descriptor's {@linkplain Anchor anchor} for every
     * operation, its path in the export for the index, and what it is now. Closing it
     * closes the descriptor.
     */
    public final class Found implements AutoCloseable {
        private final Path real;
        private final Stat stat;
        private final int fd;

        Found(Path real, Stat stat, int fd) {
            this.real = real;
            this.stat = stat;
            this.fd = fd;
        }

        /** The anchor: {@code /proc/self/fd/N}, valid until {@link #close()}. */
        public Path path() {
            return Anchor.of(fd);
        }

        /** Where the file was found in the export (a hint for the index, not used for operations). */
        public Path real() {
            return real;
        }

        public Stat stat() {
            return stat;
        }

        /** Whether this is the export's root folder. */
        public boolean isRoot() {
            return real.equals(root);
        }

        @Override
        public void close() {
            if (anchors.remove(fd, real)) {
                PosixAt.close(fd);
            }
        }
    }

    private final Path root;
    private final int rootFd;
    private final ConcurrentHashMap<Key, Path> paths = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Path> anchors = new ConcurrentHashMap<>();
    private final Object scanLock = new Object();
    private volatile long lastScan = Long.MIN_VALUE / 2;
    private volatile long scans;

    public FileIndex(Path root) throws IOException {
        this.root = root;
        this.rootFd = PosixAt.openRoot(root);
    }

    /** Closes the export root's descriptor. */
    public void close() {
        PosixAt.close(rootFd);
    }

    public Path root() {
        return root;
    }

    /** How many times the export was walked (for tests and diagnostics). */
    public long scans() {
        return scans;
    }

    /** Learns where a file is; {@code path} may be below an {@linkplain Anchor anchor} of an open {@link Found}. */
    public void remember(Stat stat, Path path) {
        Path p = real(path);
        if (p == null) {
            return;
        }
        if (paths.size() > 4_000_000) {
            paths.clear();
        }
        paths.put(Key.of(stat), p);
    }

    /** The path in the export of a path below an anchor (normalized); null if it is not in the export. */
    private Path real(Path path) {
        int fd = Anchor.baseFd(path);
        Path p = path;
        if (fd >= 0) {
            Path base = anchors.get(fd);
            if (base == null) {
                return null;
            }
            p = path.getNameCount() == 4 ? base : base.resolve(path.subpath(4, path.getNameCount()));
        }
        p = p.normalize();
        return p.startsWith(root) ? p : null;
    }

    public void forget(Stat stat) {
        paths.remove(Key.of(stat));
    }

    /** A directory moved from {@code from} to {@code to}: rewrites the paths learnt below it. */
    public void moved(Path movedFrom, Path movedTo) {
        Path from = real(movedFrom);
        Path to = real(movedTo);
        if (from == null || to == null) {
            return;
        }
        for (var e : paths.entrySet()) {
            Path p = e.getValue();
            if (p.startsWith(from) && !p.equals(from)) {
                paths.replace(e.getKey(), p, to.resolve(from.relativize(p)));
            }
        }
    }

    /**
     * The file with this identity, opened, or null if it is gone (stale). The caller
     * closes it.
     */
    public Found find(long dev, long ino) throws IOException {
        Key key = new Key(dev, ino);
        Found f = check(key, paths.get(key));
        if (f != null) {
            return f;
        }
        RpcPrograms.slowWorkAhead(); // a walk, or waiting for one: not on a connection's reader
        long started = System.nanoTime();
        synchronized (scanLock) {
            f = check(key, paths.get(key));
            if (f != null) {
                return f;
            }
            // A walk that began after this call did, or a recent one, did not find it.
            if (lastScan >= started || started - lastScan < RESCAN_INTERVAL_NANOS) {
                return null;
            }
            scan();
            return check(key, paths.get(key));
        }
    }

    /**
     * Opens {@code p} beneath the export root, following no link, and checks that what
     * was opened is the file of {@code key}; forgets the path when it is not.
     */
    private Found check(Key key, Path p) throws IOException {
        if (p == null) {
            return null;
        }
        int fd;
        try {
            fd = PosixAt.openBeneath(rootFd, root.relativize(p));
        } catch (NoSuchFileException | Posix.ErrnoException e) {
            paths.remove(key, p); // gone, or a link or a non-folder on the way: not this file any more
            return null;
        }
        try {
            Stat s = PosixAt.fstat(fd);
            if (s.dev() == key.dev() && s.ino() == key.ino() && s.nlink() > 0) {
                anchors.put(fd, p);
                return new Found(p, s, fd);
            }
        } catch (IOException e) {
            PosixAt.close(fd);
            throw e;
        }
        PosixAt.close(fd);
        paths.remove(key, p);
        return null;
    }

    private void scan() throws IOException {
        lastScan = System.nanoTime();
        scans++;
        long t0 = System.nanoTime();
        int[] count = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                add(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p) {
                try {
                    Stat s = Posix.lstat(p);
                    paths.putIfAbsent(Key.of(s), p);
                    count[0]++;
                } catch (IOException e) {
                    // vanished while walking
                }
            }
        });
        LOG.debug("walked export {}: {} files in {} ms", root, count[0], (System.nanoTime() - t0) / 1_000_000);
    }
}
