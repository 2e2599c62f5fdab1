package io.netboot4j.testkit;

import io.netboot4j.core.internal.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs external commands with a deadline and captures their output. */
public final class Commands {

    private Commands() {
    }

    /**
     * Runs {@code command}, waiting at most {@code timeout}; a command still running then is
     * killed and reported with exit code -1.
     */
    public static CommandResult run(Duration timeout, List<String> command) {
        try {
            Processes.Result r = Processes.run(new ProcessBuilder(command).redirectErrorStream(true), null, timeout, Processes.KEEP);
            return new CommandResult(List.copyOf(command), r.exit(), r.output());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} with a one-minute deadline. */
    public static CommandResult run(String... command) {
        return run(Duration.ofMinutes(1), List.of(command));
    }

    /** Whether an executable named {@code name} is on the PATH or in the sbin folders. */
    public static boolean exists(String name) {
        return which(name) != null;
    }

    /** The path of executable {@code name}, or {@code null}. */
    public static Path which(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin:/usr/local/sbin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether this process runs as root (uid 0). */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
