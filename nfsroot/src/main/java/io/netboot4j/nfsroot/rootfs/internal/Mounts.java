package io.netboot4j.nfsroot.rootfs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts made for a step inside the root (the guide's {@code mount -t proc none /proc}),
 * unmounted in reverse order by {@link #close()}, also when the step failed.
 */
public final class Mounts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);

    private final Deque<Path> mounted = new ArrayDeque<>();

    /** Mounts a fresh {@code proc} on {@code at}, unless something is mounted there already (a run that died); that is unmounted on close too. */
    public void proc(Path at) throws IOException, InterruptedException {
        mount(at, "mount", "-t", "proc", "proc", at.toString());
    }

    /** Bind-mounts {@code source} on {@code at}. */
    public void bind(Path source, Path at) throws IOException, InterruptedException {
        mount(at, "mount", "--bind", source.toString(), at.toString());
    }

    private void mount(Path at, String... argv) throws IOException, InterruptedException {
        Files.createDirectories(at);
        if (!isMountPoint(at)) {
            ExternalCommand.of(argv).runChecked();
        } else {
            LOG.info("{} is already mounted (left by an earlier run?); it is unmounted at the end of this step", at);
        }
        mounted.push(at);
    }

    /** Whether {@code path} is a mount point, by {@code /proc/self/mountinfo}. */
    public static boolean isMountPoint(Path path) throws IOException {
        String p = path.toAbsolutePath().normalize().toString();
        List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescape(f[4]).equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Unmounts everything mounted here, newest first; a busy mount is detached lazily. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        while (!mounted.isEmpty()) {
            Path at = mounted.pop();
            try {
                for (int tries = 0; tries < 4 && isMountPoint(at); tries++) {
                    var r = ExternalCommand.of("umount", at.toString()).run();
                    if (r.exitCode() != 0) {
                        LOG.warn("umount {} failed ({}); detaching it lazily", at, String.join(" ", r.tail()));
                        ExternalCommand.of("umount", "-l", at.toString()).runChecked();
                    }
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                IOException io = new IOException("interrupted while unmounting " + at, e);
                if (failure == null) {
                    failure = io;
                } else {
                    failure.addSuppressed(io);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
