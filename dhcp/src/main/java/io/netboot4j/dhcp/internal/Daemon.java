package io.netboot4j.dhcp.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external daemon in the foreground (dhcpd, kea-dhcp4), started where the seam opens
 * sockets (a process forked from a thread that entered a network namespace lives in that
 * namespace), with its output in a log file.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} and waits until its log matches {@code ready}.
     *
     * @throws IOException if it cannot start, exits, or is not ready within {@code timeout};
     *     the message carries the command, the exit code and the log's tail
     */
    public static Daemon start(String name, NetworkSeam seam, List<String> command, Map<String, String> environment, Path log,
                               Pattern ready, Duration timeout) throws IOException {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(environment);
        Process p;
        try {
            p = seam.call(pb::start);
        } catch (IOException e) {
            throw new IOException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage()
                    + "; is its Debian package installed?", e);
        } catch (Exception e) {
            throw new IOException("cannot start " + name + " in the " + seam.describe() + ": " + e.getMessage(), e);
        }
        Daemon d = new Daemon(name, p, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String text = d.logText();
                if (ready.matcher(text).find()) {
                    LOG.info("{} is running (pid {}) in the {}", name, p.pid(), seam.describe());
                    return d;
                }
                if (!p.isAlive()) {
                    throw new IOException(name + " exited with code " + p.exitValue() + ": " + String.join(" ", command)
                            + "\n" + tail(d.logText()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not report ready within " + timeout + ": " + String.join(" ", command)
                            + "\n" + tail(text));
                }
                Thread.sleep(50);
            }
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.close();
            throw new IOException("interrupted while starting " + name, e);
        }
    }

    /** The log so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    static String tail(String s) {
        return s.length() <= 3000 ? s : "..." + s.substring(s.length() - 3000);
    }

    /** Stops it: SIGTERM, then SIGKILL after five seconds. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        LOG.info("{} stopped", name);
    }
}
