package io.netboot4j.nfsroot;

import io.netboot4j.core.internal.LinuxSyscalls;
import io.netboot4j.nfsroot.internal.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test trees with every file type a Debian root has. */
public final class TestTrees {

    private TestTrees() {
    }

    /** Fills {@code root} with directories, files, a setuid file, a sticky folder, links, devices, a FIFO and a socket. */
    public static void populate(Path root) throws IOException {
        Random rnd = new Random(42);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node1\n");
        Files.writeString(root.resolve("etc/fstab"), "# fstab\nproc /proc proc defaults 0 0\n");
        Files.createDirectories(root.resolve("usr/bin"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        rnd.nextBytes(big);
        Files.write(root.resolve("usr/bin/big"), big);
        Files.write(root.resolve("usr/bin/empty"), new byte[0]);
        Files.writeString(root.resolve("usr/bin/su"), "#!/bin/sh\necho su\n");
        Posix.chmod(root.resolve("usr/bin/su"), 04755);
        Files.createDirectories(root.resolve("tmp"));
        Posix.chmod(root.resolve("tmp"), 01777);
        Files.createDirectories(root.resolve("home/user"));
        Files.writeString(root.resolve("home/user/notes.txt"), "private notes\n");
        Posix.lchown(root.resolve("home/user"), 1000, 1000);
        Posix.lchown(root.resolve("home/user/notes.txt"), 1000, 1000);
        Posix.chmod(root.resolve("home/user"), 0700);
        Posix.chmod(root.resolve("home/user/notes.txt"), 0600);
        Files.createDirectories(root.resolve("bin"));
        Posix.symlink("../usr/bin/su".getBytes(StandardCharsets.UTF_8), root.resolve("bin/su"));
        Posix.symlink("/etc/hostname".getBytes(StandardCharsets.UTF_8), root.resolve("etc/hostname.abs"));
        Posix.link(root.resolve("usr/bin/big"), root.resolve("usr/bin/big.hardlink"));
        Files.createDirectories(root.resolve("dev"));
        LinuxSyscalls.mknod(root.resolve("dev/null").toString(), 0020666, LinuxSyscalls.makedev(1, 3));
        LinuxSyscalls.mknod(root.resolve("dev/sda").toString(), 0060660, LinuxSyscalls.makedev(8, 0));
        LinuxSyscalls.mknod(root.resolve("dev/initctl").toString(), 0010600, 0);
        LinuxSyscalls.mknod(root.resolve("dev/log").toString(), 0140666, 0);
        Files.createDirectories(root.resolve("var/lib/many"));
        for (int i = 0; i < 600; i++) {
            Files.writeString(root.resolve("var/lib/many/file-with-a-longish-name-" + i), "entry " + i + "\n");
        }
    }
}
