package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.nfsroot.internal.Posix;
import io.netboot4j.nfsroot.internal.Stat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embedded server against libnfs-utils (nfs-ls, nfs-cat, nfs-cp): a real client that is not ours. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibnfsTest {

    private Path tmp;
    private TestExport export;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Commands.installed("nfs-ls"), "needs nfs-ls, nfs-cat, nfs-cp (Debian package libnfs-utils)");
        tmp = Files.createTempDirectory("nb-nfs-libnfs");
        Path root = tmp.resolve("root");
        TestExport.populate(root);
        export = new TestExport(root, tmp.resolve("work"), List.of());
    }

    @AfterAll
    void stop() throws IOException {
        if (export != null) {
            export.close();
        }
        if (tmp != null) {
            Commands.Result ignored;
            try {
                ignored = Commands.run(List.of("rm", "-rf", tmp.toString()), 60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What nfs-ls -l prints for one file (libnfs 4.0 utils/nfs-ls.c). */
    static String lsLine(Path root, Path p) throws IOException {
        Stat s = Posix.lstat(p);
        StringBuilder b = new StringBuilder();
        switch (s.type()) {
            case Stat.S_IFLNK -> b.append('l');
            case Stat.S_IFREG -> b.append('-');
            case Stat.S_IFDIR -> b.append('d');
            case Stat.S_IFCHR -> b.append('c');
            case Stat.S_IFBLK -> b.append('b');
            default -> { }
        }
        int m = s.mode();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((m & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        b.append(String.format(" %2d %5d %5d %12d %s", s.nlink(), s.uid(), s.gid(), s.size(), root.relativize(p)));
        return b.toString();
    }

    @Test
    void recursiveListingEqualsTheLocalTree() throws Exception {
        Commands.Result r = Commands.check(List.of("nfs-ls", "-R", export.url("/")), 120);
        List<String> expected = new ArrayList<>();
        try (Stream<Path> all = Files.walk(export.root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!p.equals(export.root)) {
                    expected.add(lsLine(export.root, p));
                }
            }
        }
        List<String> got = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(got).hasSizeGreaterThan(600);
        assertThat(export.events).anyMatch(e -> e instanceof BootEvent.RootMounted);
    }

    @Test
    void catGivesTheBytes() throws Exception {
        Path local = tmp.resolve("big.copy");
        Commands.Result r = Commands.check(List.of("sh", "-c", "nfs-cat '" + export.url("/usr/bin/big") + "' > " + local), 120);
        assertThat(r.exit()).isZero();
        assertThat(Files.mismatch(local, export.root.resolve("usr/bin/big"))).isEqualTo(-1L);
        assertThat(Commands.check(List.of("nfs-cat", export.url("/etc/fstab")), 60).out())
                .isEqualTo(Files.readString(export.root.resolve("etc/fstab")));
        assertThat(Commands.check(List.of("nfs-cat", export.url("/usr/bin/empty")), 60).out()).isEmpty();
    }

    @Test
    void copyBothWays() throws Exception {
        byte[] data = new byte[5 * 1024 * 1024 + 3];
        new Random(7).nextBytes(data);
        Path src = tmp.resolve("upload.bin");
        Files.write(src, data);
        Commands.check(List.of("nfs-cp", src.toString(), export.url("/tmp/upload.bin")), 120);
        Path stored = export.root.resolve("tmp/upload.bin");
        assertThat(Files.readAllBytes(stored)).isEqualTo(data);
        assertThat(Posix.lstat(stored).uid()).isZero();

        Path back = tmp.resolve("download.bin");
        Commands.check(List.of("nfs-cp", export.url("/tmp/upload.bin"), back.toString()), 120);
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
        assertThat(export.events).anyMatch(e -> e instanceof BootEvent.NodeUp);
    }
}
