package io.netboot4j.core.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external daemon in the foreground (dhcpd, kea-dhcp4, in.tftpd, ganesha.nfsd, rpcbind):
 * the one daemon lifecycle of the daemon providers. Started where the seam opens sockets (a
 * process forked from a thread that entered a network namespace lives in that namespace),
 * its output in a log file; {@link #start} returns once it is ready; {@link #close()} stops
 * it with SIGTERM, then SIGKILL.
 */
public final class Daemon implements AutoCloseable {

    /** Decides whether a starting daemon is ready; asked every 50 ms until it is, it exits or time runs out. */
    @FunctionalInterface
    public interface Readiness {

        /** Whether {@code daemon} is ready (it may throw to give up). */
        boolean isReady(Daemon daemon) throws Exception;

        /** Ready once the log has a match of {@code pattern}. */
        static Readiness logMatches(Pattern pattern) {
            return d -> pattern.matcher(d.logText()).find();
        }
    }

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
     * Starts {@code command} and waits until {@code ready} says so.
     *
     * @param name what it is called in messages, for example {@code dhcpd}
     * @param seam where to start it
     * @param command the command, in the foreground
     * @param environment extra environment variables
     * @param log where its standard output and error go (replaced)
     * @throws IOException if it cannot start, exits, or is not ready within {@code timeout};
     *     the message carries the command, the exit code and the log's tail
     */
    public static Daemon start(String name, NetworkSeam seam, List<String> command, Map<String, String> environment, Path log,
                               Readiness ready, Duration timeout) throws IOException {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        Daemon d = new Daemon(name, Processes.start(pb, seam), log);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (ready.isReady(d)) {
                    LOG.info("{} is running (pid {}) in the {}", name, d.pid(), seam.describe());
                    return d;
                }
                if (!d.process.isAlive()) {
                    throw new IOException(name + " exited with code " + d.process.exitValue() + ": " + String.join(" ", command)
                            + "\n" + d.tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not report ready within " + timeout + ": " + String.join(" ", command)
                            + "\n" + d.tail());
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
        } catch (Exception e) {
            d.close();
            throw new IOException(name + " did not become ready: " + e.getMessage() + "\n" + d.tail(), e);
        }
    }

    /** The log so far (empty if unreadable). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The end of the log, or {@code (no output)}. */
    public String tail() {
        String t = Processes.tail(logText());
        return t.isEmpty() ? "(no output)" : t;
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Stops it: SIGTERM, then SIGKILL after five seconds. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        Processes.stop(process, Duration.ofSeconds(5));
        LOG.info("{} stopped", name);
    }
}
