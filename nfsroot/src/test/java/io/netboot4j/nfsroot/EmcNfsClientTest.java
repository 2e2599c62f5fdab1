package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;

import com.emc.ecs.nfsclient.nfs.NfsCreateMode;
import com.emc.ecs.nfsclient.nfs.NfsSetAttributes;
import com.emc.ecs.nfsclient.nfs.NfsType;
import com.emc.ecs.nfsclient.nfs.io.Nfs3File;
import com.emc.ecs.nfsclient.nfs.io.NfsFileInputStream;
import com.emc.ecs.nfsclient.nfs.io.NfsFileOutputStream;
import com.emc.ecs.nfsclient.nfs.nfs3.Nfs3;
import com.emc.ecs.nfsclient.rpc.CredentialUnix;
import io.netboot4j.nfsroot.internal.Posix;
import io.netboot4j.nfsroot.internal.Stat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dell EMC's Java NFSv3 client ({@code com.emc.ecs:nfs-client}) in this JVM against the
 * embedded server: every procedure through a client that is not ours. The client asks
 * the portmapper on port 111, so the server's portmapper runs there (or registers with
 * the system's).
 */
@Tag("integration")
class EmcNfsClientTest {

    @TempDir
    Path tmp;

    @Test
    void everyProcedureThroughTheEmcClient() throws Exception {
        Path root = tmp.resolve("root");
        TestTrees.populate(root);
        try (TestExport ex = new TestExport(root, tmp.resolve("work"), List.of("127.0.0.0/8(rw,no_root_squash,insecure)"),
                r -> { }, 111)) {
            Nfs3 nfs = new Nfs3("127.0.0.1", root.toString(), new CredentialUnix(0, 0, Set.of()), 3);
            Nfs3File top = nfs.newFile("/");
            assertThat(top.list()).contains("etc", "usr", "tmp", "dev", "home", "var", "bin");
            assertThat(top.isDirectory()).isTrue();

            Nfs3File hostname = nfs.newFile("/etc/hostname");
            assertThat(hostname.exists()).isTrue();
            assertThat(hostname.lengthEx()).isEqualTo(6);
            assertThat(read(hostname)).isEqualTo("node1\n".getBytes());
            Nfs3File su = nfs.newFile("/usr/bin/su");
            assertThat(su.getMode() & 07777).isEqualTo(04755);
            Nfs3File notes = nfs.newFile("/home/user/notes.txt");
            assertThat(notes.getAttributes().getUid()).isEqualTo(1000);
            Nfs3File big = nfs.newFile("/usr/bin/big");
            assertThat(big.getAttributes().getNlink()).isEqualTo(2);
            assertThat(read(big)).isEqualTo(Files.readAllBytes(root.resolve("usr/bin/big")));
            assertThat(nfs.newFile("/dev/null").getAttributes().getType()).isEqualTo(NfsType.NFS_CHR);
            assertThat(nfs.newFile("/dev/null").getAttributes().getRdev()).containsExactly(1L, 3L);
            assertThat(nfs.newFile("/bin/su").readlink().getData()).isEqualTo("../usr/bin/su");

            // create, write, read back, chmod, commit
            Nfs3File created = nfs.newFile("/tmp/created.bin");
            assertThat(created.createNewFile()).isTrue();
            byte[] data = new byte[700_000];
            new Random(3).nextBytes(data);
            try (NfsFileOutputStream out = new NfsFileOutputStream(created)) {
                out.write(data);
            }
            assertThat(Files.readAllBytes(root.resolve("tmp/created.bin"))).isEqualTo(data);
            assertThat(read(created)).isEqualTo(data);
            created.setMode(0640);
            assertThat(Posix.lstat(root.resolve("tmp/created.bin")).permissions()).isEqualTo(0640);
            created.commit(0, 0);
            NfsSetAttributes size = new NfsSetAttributes();
            size.setSize(10L);
            created.setAttributes(size);
            assertThat(Files.size(root.resolve("tmp/created.bin"))).isEqualTo(10);
            created.write(10, List.of(ByteBuffer.wrap("tail".getBytes())), 2);
            assertThat(Files.size(root.resolve("tmp/created.bin"))).isEqualTo(14);

            // exclusive create
            Nfs3File excl = nfs.newFile("/tmp/excl");
            excl.create(NfsCreateMode.EXCLUSIVE, new NfsSetAttributes(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(Files.exists(root.resolve("tmp/excl"))).isTrue();

            // namespace
            Nfs3File dir = nfs.newFile("/tmp/dir");
            dir.mkdir();
            assertThat(Posix.lstat(root.resolve("tmp/dir")).isDirectory()).isTrue();
            Nfs3File link = nfs.newFile("/tmp/dir/link");
            link.symlink("../created.bin", new NfsSetAttributes());
            assertThat(new String(Posix.readlink(root.resolve("tmp/dir/link")))).isEqualTo("../created.bin");
            Nfs3File hard = nfs.newFile("/tmp/dir/hard");
            hard.link(created);
            assertThat(Posix.lstat(root.resolve("tmp/created.bin")).nlink()).isEqualTo(2);
            Nfs3File fifo = nfs.newFile("/tmp/dir/fifo");
            fifo.mknod(NfsType.NFS_FIFO, new NfsSetAttributes(), null);
            assertThat(Posix.lstat(root.resolve("tmp/dir/fifo")).type()).isEqualTo(Stat.S_IFIFO);
            Nfs3File moved = nfs.newFile("/tmp/moved.bin");
            assertThat(created.renameTo(moved)).isTrue();
            assertThat(Files.exists(root.resolve("tmp/moved.bin"))).isTrue();
            assertThat(dir.list()).containsExactlyInAnyOrder("link", "hard", "fifo");
            assertThat(dir.readdir(0, 0, 8192).getEntries()).hasSizeGreaterThanOrEqualTo(3);
            for (String n : List.of("link", "hard", "fifo")) {
                nfs.newFile("/tmp/dir/" + n).delete();
            }
            dir.delete();
            assertThat(Files.exists(root.resolve("tmp/dir"))).isFalse();
            moved.setLastModified(1_000_000_000_000L);
            assertThat(Files.getLastModifiedTime(root.resolve("tmp/moved.bin")).toMillis()).isEqualTo(1_000_000_000_000L);

            // file-system information and access
            assertThat(top.getTotalSpace()).isPositive();
            assertThat(top.fsinfo().getFsInfo().wtmax).isEqualTo(1024 * 1024);
            assertThat(top.pathconf().stateIsOk()).isTrue();
            assertThat(hostname.canRead()).isTrue();
            assertThat(top.canModify()).isTrue();
            assertThat(nfs.newFile("/many-missing").exists()).isFalse();
            assertThat(nfs.newFile("/var/lib/many").list()).hasSize(600);
        }
    }

    private static byte[] read(Nfs3File f) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (NfsFileInputStream in = new NfsFileInputStream(f)) {
            in.transferTo(b);
        }
        return b.toByteArray();
    }
}
