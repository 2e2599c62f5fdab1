package io.netboot4j.nfsroot.rootfs.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a cache folder, between threads of this JVM and between processes
 * ({@code fcntl} lock on a lock file); released by {@link #close()}.
 *
 * @param local the lock between this JVM's threads, or null for no lock
 * @param lock the lock between processes, on the lock file's open channel, or null for no lock
 */
record CacheLock(ReentrantLock local, FileLock lock) implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    /** Waits for the lock on {@code file}; no lock (and no wait) when empty. */
    static CacheLock of(Optional<Path> file) throws IOException, InterruptedException {
        if (file.isEmpty()) {
            return new CacheLock(null, null);
        }
        Path f = file.get().toAbsolutePath().normalize();
        ReentrantLock local = IN_JVM.computeIfAbsent(f, k -> new ReentrantLock());
        local.lockInterruptibly();
        try {
            Files.createDirectories(f.getParent());
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new CacheLock(local, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (local == null) {
            return;
        }
        try {
            lock.release();
            lock.channel().close();
        } finally {
            local.unlock();
        }
    }
}
