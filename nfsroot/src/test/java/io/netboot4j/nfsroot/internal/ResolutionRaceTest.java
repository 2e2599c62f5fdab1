package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client swaps a folder for a symbolic link to {@code /} in a tight loop (RENAME,
 * SYMLINK, RENAME, through the server, then faster with local renames) while another looks names up in it,
 * reads and lists it through the handles it had: nothing outside the export is ever
 * answered. The folder holds a file named {@code etc}, so a lookup that followed the
 * link would find {@code /etc}, a folder.
 */
class ResolutionRaceTest {

    static final int SWAPS = 20_000;
    static final Caller ATTACKER = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 0, 0);
    static final Caller READER = Caller.unix(Ipv4.parse("127.0.0.3"), 801, 0, 0);
    static final byte[] INSIDE = "inside the export\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    /** The export: {@code root/d/etc}, a file holding {@link #INSIDE}. */
    private Path exportWithFolder() throws java.io.IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root, as the NFS server does");
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("d"));
        Files.write(root.resolve("d/etc"), INSIDE);
        return root;
    }

    @Test
    void aFolderSwappedForALinkToRootNeverLeadsOutOfTheExport() throws Exception {
        Path root = exportWithFolder();
        long insideIno = Posix.lstat(root.resolve("d/etc")).ino();
        ExportState state = new ExportState(root, List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash)")), null,
                new byte[32], e -> { }, Clock.systemUTC());
        try {
            DirectClient attacker = new DirectClient(state, ATTACKER);
            DirectClient reader = new DirectClient(state, READER);
            byte[] rootFh = attacker.mnt(root.toString()).fh();
            reader.mnt(root.toString());
            byte[] dir = reader.lookup(rootFh, "d").fh();
            byte[] file = reader.lookup(dir, "etc").fh();

            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread swapper = Thread.ofPlatform().start(() -> {
                try {
                    // A few swaps through the server (a client with write access can do this), then
                    // many more with local system calls, which are fast enough to hit the window
                    // between two system calls of one NFS call.
                    for (int i = 0; i < 200; i++) {
                        assertThat(attacker.rename(rootFh, "d", rootFh, "d.real")).isZero();
                        assertThat(attacker.symlink(rootFh, "d", "/").status()).isZero();
                        assertThat(attacker.rename(rootFh, "d", rootFh, "d.link")).isZero();
                        assertThat(attacker.rename(rootFh, "d.real", rootFh, "d")).isZero();
                        assertThat(attacker.remove(rootFh, "d.link")).isZero();
                    }
                    Files.createSymbolicLink(root.resolve("d.link"), Path.of("/"));
                    for (int i = 0; i < SWAPS; i++) {
                        Posix.rename(root.resolve("d"), root.resolve("d.real"));
                        Posix.rename(root.resolve("d.link"), root.resolve("d"));
                        Posix.rename(root.resolve("d"), root.resolve("d.link"));
                        Posix.rename(root.resolve("d.real"), root.resolve("d"));
                    }
                } catch (Throwable t) {
                    failed.set(t);
                } finally {
                    done.set(true);
                }
            });
            int looked = 0, read = 0, listed = 0, rounds = 0;
            while (!done.get() || rounds < 10) {
                rounds++;
                reader.lookup(rootFh, "d"); // as a client revalidating its path: the server learns where d is again
                DirectClient.Reply l = reader.lookup(dir, "etc");
                if (l.status() == 0) {
                    looked++;
                    assertThat(l.attr().type()).as("LOOKUP etc found the export's file, not /etc").isEqualTo(Nfs3.NF3REG);
                    assertThat(l.attr().fileid()).isEqualTo(insideIno);
                }
                DirectClient.Reply r = reader.read(file, 0, 4096);
                if (r.status() == 0) {
                    read++;
                    assertThat(r.data()).isEqualTo(INSIDE);
                }
                DirectClient.Reply up = reader.lookup(dir, "..");
                if (up.status() == 0) {
                    assertThat(up.attr().fileid()).as("the parent of d is the export root").isEqualTo(Posix.lstat(root).ino());
                }
                try {
                    Set<String> names = Set.copyOf(reader.list(dir, true, 4096).stream().map(DirectClient.Entry::name).toList());
                    assertThat(Set.of(".", "..", "etc")).containsAll(names);
                    listed++;
                } catch (IllegalStateException e) {
                    // STALE while d is renamed away: fine
                }
            }
            swapper.join();
            assertThat(failed.get()).isNull();
            System.out.printf("race: %d swaps, %d rounds: %d lookups, %d reads, %d listings answered, all inside%n",
                    SWAPS, rounds, looked, read, listed);
            assertThat(looked + read + listed).as("the reader got answers during the race").isPositive();
            assertThat(read).isPositive();
        } finally {
            state.close();
        }
    }

    /**
     * The window the race aims at, made deterministic: the folder a handle names is found
     * and opened, then swapped for a link to {@code /} before the call's next system call;
     * that call still sees the folder it checked, through its descriptor.
     */
    @Test
    void aSwapBetweenTwoSystemCallsOfOneCallIsNotSeen() throws Exception {
        Path root = exportWithFolder();
        Stat d = Posix.lstat(root.resolve("d"));
        long insideIno = Posix.lstat(root.resolve("d/etc")).ino();
        FileIndex index = new FileIndex(root);
        try {
            index.remember(d, root.resolve("d"));
            try (FileIndex.Found found = index.find(d.dev(), d.ino())) {
                assertThat(found.stat().ino()).isEqualTo(d.ino());
                Files.move(root.resolve("d"), root.resolve("d.real"));
                Files.createSymbolicLink(root.resolve("d"), Path.of("/"));
                Stat etc = Posix.lstat(found.path().resolve("etc"));
                assertThat(etc.ino()).as("d/etc is still the export's file, not /etc").isEqualTo(insideIno);
                assertThat(etc.isRegular()).isTrue();
                assertThat(Files.readAllBytes(found.path().resolve("etc"))).isEqualTo(INSIDE);
                assertThat(Posix.lstat(found.path()).ino()).isEqualTo(d.ino());
            }
            try (FileIndex.Found again = index.find(d.dev(), d.ino())) {
                // The path now leads to a link; the handle still names its folder (d.real, through
                // the cached descriptor or found again), or nothing: never what the link points to.
                if (again != null) {
                    assertThat(Posix.lstat(again.path()).ino()).isEqualTo(d.ino());
                    assertThat(Files.readAllBytes(again.path().resolve("etc"))).isEqualTo(INSIDE);
                }
            }
            Thread.sleep(FileIndex.RECHECK_NANOS / 1_000_000 + 100);
            assertThat(index.find(d.dev(), d.ino())).as("after the recheck interval: found again from the root")
                    .satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f.real()).isEqualTo(root.resolve("d.real")));
        } finally {
            index.close();
        }
    }
}
