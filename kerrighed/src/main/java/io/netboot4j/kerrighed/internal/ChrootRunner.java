package io.netboot4j.kerrighed.internal;

import io.netboot4j.kerrighed.Command;
import io.netboot4j.kerrighed.CommandResult;
import io.netboot4j.kerrighed.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs commands inside a root filesystem with {@code chroot(8)}. */
public final class ChrootRunner implements CommandRunner {

    /** The {@code PATH} commands get inside the root (Debian's root default). */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path root;

    /** @param root the root filesystem on this host */
    public ChrootRunner(Path root) {
        if (root == null) {
            throw new IllegalArgumentException("chroot root must not be null");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        if (!Files.isDirectory(root)) {
            throw new IOException("chroot root " + root + " is not a folder");
        }
        Command actual = new Command(List.of("chroot", root.toString(), "/bin/sh", "-c", command.shellScript()),
                Optional.empty(), Map.of("PATH", PATH, "LC_ALL", "C"), command.timeout());
        return LocalRunner.run(actual, command, describe());
    }

    @Override
    public String describe() {
        return "chroot " + root;
    }

    @Override
    public String toString() {
        return describe();
    }
}
