package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.Ipv4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handle of a removed file does not name a later file that got the same inode number
 * (ext4 hands a freed number out again at once): the handle's generation, the file's
 * birth time, no longer matches, and the old handle is stale.
 */
class HandleGenerationTest {

    static final Caller ROOT = Caller.unix(Ipv4.parse("127.0.0.2"), 800, 0, 0);

    @TempDir
    Path tmp;

    @Test
    void aReusedInodeNumberDoesNotReviveAnOldHandle() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root, as the NFS server does");
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        ExportState state = new ExportState(root, List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash)")), null,
                new byte[32], e -> { }, Clock.systemUTC());
        try {
            DirectClient c = new DirectClient(state, ROOT);
            byte[] rootFh = c.mnt(root.toString()).fh();
            DirectClient.Reply old = c.create(rootFh, "old", 0, 0644, null);
            assertThat(old.status()).isZero();
            long ino = Posix.lstat(root.resolve("old")).ino();
            Assumptions.assumeTrue(Posix.lstat(root.resolve("old")).btimeNanos() != 0, "this file system records no birth time");
            assertThat(c.remove(rootFh, "old")).isZero();
            DirectClient.Reply reused = null;
            for (int i = 0; i < 50 && reused == null; i++) {
                DirectClient.Reply r = c.create(rootFh, "new-" + i, 0, 0644, null);
                assertThat(r.status()).isZero();
                if (Posix.lstat(root.resolve("new-" + i)).ino() == ino) {
                    reused = r;
                }
            }
            Assumptions.assumeTrue(reused != null, "the file system did not reuse the inode number");
            Thread.sleep(2100); // past the index's rescan interval: the walk finds the new file under the old number
            assertThat(c.getattr(old.fh()).status()).as("the old handle is stale").isEqualTo(Nfs3.STALE);
            assertThat(c.getattr(reused.fh()).status()).isZero();
            assertThat(c.getattr(reused.fh()).attr().fileid()).isEqualTo(ino);
        } finally {
            state.close();
        }
    }
}
