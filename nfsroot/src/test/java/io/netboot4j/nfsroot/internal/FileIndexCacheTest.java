package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's cache of open descriptors stays bounded when more files than it keeps are
 * used, never closes a descriptor a call still holds, does not keep a removed file (its
 * blocks, its dirty pages) alive past the re-check time, and answers many threads at once
 * with the file each asked for.
 */
class FileIndexCacheTest {

    @TempDir
    Path tmp;

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private List<Stat> files(FileIndex index, int n) throws IOException {
        List<Stat> stats = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = Files.writeString(index.root().resolve("f-" + i), "file " + i);
            Stat s = Posix.lstat(f);
            index.remember(s, f);
            stats.add(s);
        }
        return stats;
    }

    @Test
    void moreFilesThanItKeepsLeaveItBoundedAndAHeldDescriptorOpen() throws Exception {
        FileIndex index = new FileIndex(tmp);
        try {
            List<Stat> stats = files(index, FileIndex.MAX_OPEN + 300);
            long before = openDescriptors();
            try (FileIndex.Found held = index.find(stats.get(0).dev(), stats.get(0).ino())) {
                for (Stat s : stats) {
                    try (FileIndex.Found f = index.find(s.dev(), s.ino())) {
                        assertThat(f.stat().ino()).isEqualTo(s.ino());
                    }
                }
                assertThat(openDescriptors() - before).as("descriptors kept open").isLessThanOrEqualTo(FileIndex.MAX_OPEN + 1);
                assertThat(PosixAt.fstat(held.fd()).ino()).as("the held descriptor still names its file").isEqualTo(stats.get(0).ino());
            }
        } finally {
            index.close();
        }
    }

    /** Whether this JVM holds a descriptor of {@code file} after it was removed. */
    private static boolean heldAfterRemoval(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(file + " (deleted)");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            });
        }
    }

    @Test
    void aFileRemovedByTheHeadNodeIsNotKeptOpenPastTheRecheckTime() throws Exception {
        FileIndex index = new FileIndex(tmp);
        try {
            List<Stat> stats = files(index, 2);
            index.find(stats.get(0).dev(), stats.get(0).ino()).close();
            Path removed = tmp.resolve("f-0");
            Files.delete(removed);
            assertThat(heldAfterRemoval(removed)).as("cached right after use").isTrue();
            Thread.sleep(FileIndex.RECHECK_NANOS / 1_000_000 + 100);
            index.find(stats.get(1).dev(), stats.get(1).ino()).close();
            assertThat(heldAfterRemoval(removed)).as("its blocks are freed once the re-check time has passed").isFalse();
        } finally {
            index.close();
        }
    }

    @Test
    void manyThreadsAtOnceEachGetTheirFile() throws Exception {
        FileIndex index = new FileIndex(tmp);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Stat> stats = files(index, 64);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    int found = 0;
                    for (int i = 0; i < 2000; i++) {
                        Stat s = stats.get((first + i) % stats.size());
                        try (FileIndex.Found f = index.find(s.dev(), s.ino())) {
                            assertThat(f.stat().ino()).isEqualTo(s.ino());
                            assertThat(PosixAt.fstat(f.fd()).ino()).isEqualTo(s.ino());
                            found++;
                        }
                    }
                    return found;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(2000);
            }
        } finally {
            index.close();
        }
    }
}
