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

    /** A file found: where it is and what it is now. */
    public record Found(Path path, Stat stat) {
    }

    private final Path root;
    private final ConcurrentHashMap<Key, Path> paths = new ConcurrentHashMap<>();
    private final Object scanLock = new Object();
    private volatile long lastScan = Long.MIN_VALUE / 2;
    private volatile long scans;

    public FileIndex(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** How many times the export was walked (for tests and diagnostics). */
    public long scans() {
        return scans;
    }

    public void remember(Stat stat, Path path) {
        if (paths.size() > 4_000_000) {
            paths.clear();
        }
        paths.put(Key.of(stat), path);
    }

    public void forget(Stat stat) {
        paths.remove(Key.of(stat));
    }

    /** A directory moved from {@code from} to {@code to}: rewrites the paths learnt below it. */
    public void moved(Path from, Path to) {
        for (var e : paths.entrySet()) {
            Path p = e.getValue();
            if (p.startsWith(from) && !p.equals(from)) {
                paths.replace(e.getKey(), p, to.resolve(from.relativize(p)));
            }
        }
    }

    /** The file with this identity, or null if it is gone (stale). */
    public Found find(long dev, long ino) throws IOException {
        Key key = new Key(dev, ino);
        Found f = check(key, paths.get(key));
        if (f != null) {
            return f;
        }
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

    private Found check(Key key, Path p) throws IOException {
        if (p == null) {
            return null;
        }
        try {
            Stat s = Posix.lstat(p);
            if (s.dev() == key.dev() && s.ino() == key.ino()) {
                return new Found(p, s);
            }
        } catch (NoSuchFileException e) {
            // fall through
        }
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
