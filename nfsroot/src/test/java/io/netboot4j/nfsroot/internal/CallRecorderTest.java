package io.netboot4j.nfsroot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug option that records what a node reads and writes: one line per call, paths in the export. */
class CallRecorderTest {

    @TempDir
    Path tmp;

    @Test
    void eachCallIsAppendedWithItsStatusPathAndByteRange() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root, as the NFS server does");
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.write(root.resolve("etc/hostname"), new byte[5000]);
        Path log = tmp.resolve("calls.txt");
        ExportState state = new ExportState(root, List.of(ExportRule.parse("127.0.0.0/8(rw,no_root_squash)")), null,
                new byte[32], e -> { }, Clock.systemUTC());
        System.setProperty(CallRecorder.PROPERTY, log.toString());
        DirectClient c;
        try {
            c = new DirectClient(state, HandleGenerationTest.ROOT);
        } finally {
            System.clearProperty(CallRecorder.PROPERTY);
        }
        try {
            byte[] rootFh = c.mnt(root.toString()).fh();
            byte[] etc = c.lookup(rootFh, "etc").fh();
            assertThat(c.lookup(etc, "missing").status()).isEqualTo(Nfs3.NOENT);
            byte[] hostname = c.lookup(etc, "hostname").fh();
            assertThat(c.read(hostname, 4096, 4096).data()).hasSize(904);
            byte[] made = c.create(rootFh, "made", 0, 0644, null).fh();
            c.write(made, 0, new byte[10], Nfs3.FILE_SYNC);
            c.getattr(rootFh);
        } finally {
            state.close();
        }
        assertThat(Files.readAllLines(log)).containsExactly(
                "127.0.0.2 0 LOOKUP /etc",
                "127.0.0.2 2 LOOKUP /etc/missing",
                "127.0.0.2 0 LOOKUP /etc/hostname",
                "127.0.0.2 0 READ /etc/hostname 4096 904",
                "127.0.0.2 0 CREATE /made",
                "127.0.0.2 0 WRITE /made 0 10",
                "127.0.0.2 0 GETATTR /");
    }
}
