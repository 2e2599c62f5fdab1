package io.netboot4j.nfsroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.nfsroot.internal.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux kernel's own NFS client: a QEMU guest boots Debian's stock kernel and
 * initramfs with {@code root=/dev/nfs}, so klibc {@code nfsmount} does MNT and the
 * kernel mounts the embedded server's export as its root, runs {@code /sbin/init} from
 * it (reading binaries over NFS) and writes files into it. The guest reaches the server
 * on the host's loopback through QEMU's user-mode network (10.0.2.2 is the host); klibc
 * {@code nfsmount} has no port options, so it asks the portmapper on port 111 (ours, or
 * the system's with which the server registers) for the MOUNT and NFS ports.
 */
@Tag("integration")
class KernelClientTest {

    @TempDir
    Path tmp;

    static Path kernel() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().reduce((a, b) -> b).orElse(null);
        }
    }

    @Test
    void debianInitramfsMountsTheExportAsRootAndWritesToIt() throws Exception {
        assumeTrue(Commands.installed("qemu-system-x86_64"), "needs qemu-system-x86_64 (Debian package qemu-system-x86)");
        Path kernel = Files.isDirectory(Path.of("/boot")) ? kernel() : null;
        assumeTrue(kernel != null, "needs a Debian kernel and initrd in /boot (Debian package linux-image-amd64)");
        Path initrd = Path.of("/boot", kernel.getFileName().toString().replace("vmlinuz-", "initrd.img-"));
        assumeTrue(Files.isReadable(initrd) && Files.isReadable(kernel), "needs a readable " + initrd + " (linux-image-amd64, initramfs-tools)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox (Debian package busybox-static)");

        Path root = tmp.resolve("root");
        for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "run", "tmp", "var/log")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Posix.symlink("busybox".getBytes(), root.resolve("bin/sh"));
        Files.writeString(root.resolve("etc/hostname"), "node1\n");
        byte[] big = new byte[24 * 1024 * 1024 + 123];
        new java.util.Random(11).nextBytes(big);
        Files.write(root.resolve("var/big.bin"), big);
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(big));
        Files.writeString(root.resolve("sbin/init"), """
                #!/bin/busybox sh
                B=/bin/busybox
                $B echo "NB-NFS init: hostname $($B cat /etc/hostname)"
                $B mount -t proc proc /proc
                $B echo "NB-NFS mounts: $($B grep ' / ' /proc/mounts)"
                $B echo "written by the kernel NFS client" > /var/log/proof.txt
                $B mkdir /var/log/dir && $B ln -s ../proof.txt /var/log/dir/link && $B ln /var/log/proof.txt /var/log/hard
                $B dd if=/dev/zero of=/var/log/zeros bs=1024 count=4096 2>/dev/null
                $B mknod /var/log/fifo p
                $B chmod 4755 /var/log/proof.txt
                $B mv /var/log/zeros /var/log/zeros.moved
                $B ls -la /var/log /bin > /var/log/listing.txt
                for i in 1 2 3 4; do $B md5sum /var/big.bin > /var/log/md5-$i.txt & done
                $B ls -laR /bin /etc /var > /dev/null
                wait
                $B echo "NB-NFS md5: $($B cat /var/log/md5-*.txt | $B cut -d' ' -f1 | $B sort -u | $B tr '\n' ' ')"
                $B sync
                $B echo "NB-NFS done: $($B cat /var/log/dir/link)"
                $B poweroff -f
                """);
        Posix.chmod(root.resolve("sbin/init"), 0755);

        try (TestExport ex = new TestExport(root, tmp.resolve("work"),
                List.of("127.0.0.1(rw,no_root_squash,insecure)"), r -> { }, 111)) {
            String append = "console=ttyS0 panic=-1 no_timer_check root=/dev/nfs ip=dhcp rw nfsroot=10.0.2.2:" + root
                    + ",vers=3,tcp";
            List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-m", "512", "-nographic", "-no-reboot",
                    "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append,
                    "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0"));
            // Plain emulation (TCG): KVM inside this CI's virtual machine starts no guest kernel.
            if ("kvm".equals(System.getenv("NB_QEMU_ACCEL"))) {
                cmd.addAll(List.of("-enable-kvm", "-cpu", "host"));
            }
            Commands.Result r = Commands.run(cmd, 240);
            String console = r.out();
            Files.writeString(tmp.resolve("console.txt"), console);
            assertThat(console).as("guest console:\n%s", console).contains("NB-NFS init: hostname node1");
            assertThat(console).contains("NB-NFS done: written by the kernel NFS client");
            // four concurrent readers of one 24 MiB file, with listings on the same connection, read the same bytes
            assertThat(console).contains("NB-NFS md5: " + md5 + " ");
            assertThat(Files.readString(root.resolve("var/log/proof.txt"))).isEqualTo("written by the kernel NFS client\n");
            assertThat(Posix.lstat(root.resolve("var/log/proof.txt")).permissions()).isEqualTo(04755);
            assertThat(Posix.lstat(root.resolve("var/log/proof.txt")).nlink()).isEqualTo(2);
            assertThat(new String(Posix.readlink(root.resolve("var/log/dir/link")))).isEqualTo("../proof.txt");
            assertThat(Files.size(root.resolve("var/log/zeros.moved"))).isEqualTo(4096 * 1024);
            assertThat(Posix.lstat(root.resolve("var/log/fifo")).type()).isEqualTo(io.netboot4j.nfsroot.internal.Stat.S_IFIFO);
            assertThat(ex.events).anyMatch(e -> e instanceof BootEvent.RootMounted);
            assertThat(ex.events).anyMatch(e -> e instanceof BootEvent.NodeUp);
        }
    }
}
