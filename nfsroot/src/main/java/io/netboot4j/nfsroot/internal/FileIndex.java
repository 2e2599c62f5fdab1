package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the path of a file from its (device, inode), the contents of a file handle.
 * Paths are learnt as clients look files up, list directories and create files; each
 * use is checked with {@code lstat} (a renamed or removed file no longer matches). A
 * handle that matches no known path (after a server restart, or a rename of a parent)
 * makes the index walk the export once; one still unknown afterwards is stale.
 * The walk never follows symbolic links, so no handle resolves outside the export.
 *
 * <p>A file found is opened {@code O_PATH} beneath the export root and checked against the
 * handle's device and inode; the descriptor is then cached (about {@link #MAX_OPEN}, as knfsd
 * keeps dentries) and used by later calls for up to {@link #RECHECK_NANOS}, each call taking a
 * fresh {@code statx} of it; after that the file is found from the root again. A descriptor
 * names the same inode for its whole life, so no path string is trusted between two calls
 * either. The cache is a concurrent map without a lock shared by all calls (16 readers at once
 * queued on one monitor made parallel reads 2.3x slower); when it holds more than
 * {@link #MAX_OPEN}, one call drops the descriptors due for a new check, then the oldest.
 */
public final class FileIndex {

    private static final Logger LOG = LoggerFactory.getLogger(FileIndex.class);
    private static final long RESCAN_INTERVAL_NANOS = 2_000_000_000L;
    /** Descriptors kept open for files in use (knfsd keeps their dentries cached). */
    static final int MAX_OPEN = 1024;
    /** How long a cached descriptor is used before the file is found from the export root again. */
    static final long RECHECK_NANOS = 1_000_000_000L;

    /** A file's identity. */
    public record Key(long dev, long ino) {
        static Key of(Stat s) {
            return new Key(s.dev(), s.ino());
        }
    }

    /**
     * A file found and opened ({@code O_PATH}, beneath the export, no link followed) and
     * checked against the handle: its descriptor's {@linkplain Anchor anchor} for every
     * operation, its path in the export for the index, and what it is now. The descriptor
     * is shared with other calls through the cache of open files; closing a {@code Found}
     * gives its hold back (the descriptor closes once evicted and given back by all).
     */
    public final class Found implements AutoCloseable {
        private final Open open;
        private final Stat stat;
        private boolean closed;

        Found(Open open, Stat stat) {
            this.open = open;
            this.stat = stat;
        }

        /** The anchor: {@code /proc/self/fd/N}, valid until {@link #close()}. */
        public Path path() {
            return Anchor.of(open.fd);
        }

        /** The descriptor ({@code O_PATH}), valid until {@link #close()}. */
        int fd() {
            return open.fd;
        }

        /** Where the file was found in the export (a hint for the index, not used for operations). */
        public Path real() {
            return open.real;
        }

        public Stat stat() {
            return stat;
        }

        /**
         * The attributes of the entry {@code name} of this folder ({@code statx} relative to
         * the descriptor; a symbolic link itself); {@code ..} of the export root is the root.
         */
        public Stat entry(String name) throws IOException {
            return PosixAt.statAt(open.fd, name.equals("..") && isRoot() ? "." : name);
        }

        /** Learns where the entry {@code name} of this folder is (a hint, as {@link #remember}). */
        public void rememberEntry(Stat entry, String name) {
            Path p = switch (name) {
                case "." -> open.real;
                case ".." -> isRoot() ? root : open.real.getParent();
                default -> open.real.resolve(name);
            };
            if (p != null && p.startsWith(root)) {
                put(Key.of(entry), p);
            }
        }

        /** Whether this is the export's root folder. */
        public boolean isRoot() {
            return stat.dev() == rootKey.dev() && stat.ino() == rootKey.ino();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                open.release();
            }
        }
    }

    /**
     * A descriptor opened beneath the export and checked against a handle's identity, held
     * by the cache and by the calls using it: closed when the last hold is given back, so
     * no call ever works through a descriptor number that was closed and reused.
     */
    private final class Open {
        final int fd;
        final Path real;
        final long checkedAt;
        private final AtomicInteger holds = new AtomicInteger(1); // the cache's

        Open(int fd, Path real, long checkedAt) {
            this.fd = fd;
            this.real = real;
            this.checkedAt = checkedAt;
        }

        boolean hold() {
            while (true) {
                int h = holds.get();
                if (h <= 0) {
                    return false;
                }
                if (holds.compareAndSet(h, h + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (holds.decrementAndGet() == 0) {
                anchors.remove(fd, real);
                PosixAt.close(fd);
            }
        }
    }

    private final Path root;
    private final int rootFd;
    private final ConcurrentHashMap<Key, Path> paths = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Path> anchors = new ConcurrentHashMap<>();
    /** Open descriptors by identity. */
    private final ConcurrentHashMap<Key, Open> opened = new ConcurrentHashMap<>(256);
    /** When the next call sweeps the descriptors due for a re-check out of {@link #opened} (System.nanoTime). */
    private volatile long nextSweep = System.nanoTime() + RECHECK_NANOS;
    /** Set while one call trims {@link #opened}. */
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final Key rootKey;
    private final Object scanLock = new Object();
    private volatile long lastScan = Long.MIN_VALUE / 2;
    private volatile long scans;

    public FileIndex(Path root) throws IOException {
        this.root = root;
        this.rootFd = PosixAt.openRoot(root);
        this.rootKey = Key.of(PosixAt.fstat(rootFd));
    }

    /** Closes the export root's descriptor and the cached ones (those in use close when given back). */
    public void close() {
        for (Key k : new ArrayList<>(opened.keySet())) {
            Open o = opened.remove(k);
            if (o != null) {
                o.release();
            }
        }
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
        put(Key.of(stat), p);
    }

    private void put(Key key, Path p) {
        if (paths.size() > 4_000_000) {
            paths.clear();
        }
        paths.put(key, p);
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
        if (System.nanoTime() - nextSweep > 0) {
            trim(); // close descriptors nobody asked for within the re-check time (a removed file's keeps its blocks)
        }
        Key key = new Key(dev, ino);
        Found f = cached(key);
        if (f != null) {
            return f;
        }
        f = check(key, paths.get(key));
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
     * The cached descriptor of {@code key}, held, with the file's attributes now; null if
     * none, if it was checked against the export more than {@link #RECHECK_NANOS} ago (the
     * file may have been moved out of the export since: it is found again from the root),
     * or if the file was removed.
     */
    private Found cached(Key key) throws IOException {
        Open o = opened.get(key);
        if (o == null) {
            return null;
        }
        if (System.nanoTime() - o.checkedAt > RECHECK_NANOS) {
            evict(key, o); // the cache's hold
            return null;
        }
        if (!o.hold()) {
            opened.remove(key, o); // given back already (evicted meanwhile)
            return null;
        }
        try {
            Stat s = PosixAt.fstat(o.fd);
            if (s.nlink() > 0) {
                return new Found(o, s);
            }
        } catch (IOException e) {
            o.release();
            throw e;
        }
        o.release();
        evict(key, o);
        return null;
    }

    private void evict(Key key, Open o) {
        if (opened.remove(key, o)) {
            o.release();
        }
    }

    /**
     * Closes the descriptors due for a new check (at most once per {@link #RECHECK_NANOS}: an
     * open descriptor keeps a file removed by the head node, its blocks and its dirty pages,
     * alive) and brings the cache back under {@link #MAX_OPEN}, the oldest checked first;
     * one call at a time, the others go on.
     */
    private void trim() {
        if (!trimming.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = System.nanoTime();
            nextSweep = now + RECHECK_NANOS;
            opened.forEach((k, o) -> {
                if (now - o.checkedAt > RECHECK_NANOS) {
                    evict(k, o);
                }
            });
            int excess = opened.size() > MAX_OPEN ? opened.size() - MAX_OPEN * 7 / 8 : 0;
            if (excess > 0) {
                List<Map.Entry<Key, Open>> all = new ArrayList<>(opened.entrySet());
                all.sort(Comparator.comparingLong(e -> e.getValue().checkedAt));
                for (int i = 0; i < excess && i < all.size(); i++) {
                    evict(all.get(i).getKey(), all.get(i).getValue());
                }
            }
        } finally {
            trimming.set(false);
        }
    }

    /**
     * Opens {@code p} beneath the export root, following no link, and checks that what
     * was opened is the file of {@code key}; forgets the path when it is not. A match is
     * cached (beyond {@link #MAX_OPEN}, the cache is trimmed).
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
        Stat s;
        try {
            s = PosixAt.fstat(fd);
        } catch (IOException e) {
            PosixAt.close(fd);
            throw e;
        }
        if (s.dev() != key.dev() || s.ino() != key.ino() || s.nlink() == 0) {
            PosixAt.close(fd);
            paths.remove(key, p);
            return null;
        }
        anchors.put(fd, p);
        Open o = new Open(fd, p, System.nanoTime());
        o.hold(); // the caller's
        Open replaced = opened.put(key, o);
        if (replaced != null) {
            replaced.release();
        }
        if (opened.size() > MAX_OPEN) {
            trim();
        }
        return new Found(o, s);
    }

    /** Drops the cached descriptor of a file (removed, or replaced by a rename). */
    public void closeCached(Stat s) {
        Key key = Key.of(s);
        Open o = opened.remove(key);
        if (o != null) {
            o.release();
        }
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
