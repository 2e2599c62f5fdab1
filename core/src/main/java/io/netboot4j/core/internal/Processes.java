package io.netboot4j.core.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an external command to its end, with a deadline: the one process runner of
 * netboot4j's modules. Standard output and error go (merged) to a temporary file, so a
 * chatty command never blocks on a full pipe; standard input is {@code /dev/null}. A
 * failure carries the command, its exit code and the tail of its output.
 */
public final class Processes {

    /** How much of a command's output a message carries at most. */
    public static final int TAIL = 3000;
    /** How much of a command's output {@link #run(List, Duration)} keeps: its last MiB. */
    public static final int KEEP = 1 << 20;
    /** What begins kept output of which the start was dropped. */
    public static final String DROPPED = "[... earlier output dropped ...]\n";

    /**
     * What a command printed and how it exited.
     *
     * @param command the command
     * @param exit its exit code; -1 if it timed out
     * @param output standard output (with standard error when merged), its last characters at most
     * @param error standard error when not merged, its last characters at most; else empty
     * @param timedOut whether it ran past its deadline and was killed
     */
    public record Result(List<String> command, int exit, String output, String error, boolean timedOut) {

        /**
         * This result, if the command finished in time and exited 0.
         *
         * @throws IOException carrying the command, the exit code (or the timeout) and the output's tail
         */
        public Result requireSuccess() throws IOException {
            if (timedOut) {
                throw new IOException("'" + String.join(" ", command) + "' did not finish in time and was killed; output: "
                        + tail(output + error));
            }
            if (exit != 0) {
                throw new IOException("'" + String.join(" ", command) + "' exited with " + exit + ": " + tail(output + error));
            }
            return this;
        }
    }

    private Processes() {
    }

    /** Runs {@code command} on the host, standard error merged into the output, within {@code timeout}. */
    public static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, Map.of(), null, timeout);
    }

    /**
     * Runs {@code command} with extra environment variables, standard error merged into the
     * output, started through {@code seam} (a process inherits the network namespace of the
     * thread that starts it), within {@code timeout}.
     *
     * @param seam where to start it; null for the host
     */
    public static Result run(List<String> command, Map<String, String> environment, NetworkSeam seam, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        return run(pb, seam, timeout, KEEP);
    }

    /**
     * Runs what {@code pb} describes (its command, folder, environment, whether standard error
     * is merged) to its end: output to temporary files, input from {@code /dev/null} unless
     * {@code pb} redirects it. Past {@code timeout} it and its descendants are killed and the
     * result says {@link Result#timedOut()}.
     *
     * @param seam where to start it; null for the host
     * @param keep how many of the last characters of each output to keep
     * @throws IOException if it cannot start (naming the command: is its package installed?)
     * @throws InterruptedException if interrupted while waiting (the process is killed)
     */
    public static Result run(ProcessBuilder pb, NetworkSeam seam, Duration timeout, int keep) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netboot4j-process", ".out");
        Path err = pb.redirectErrorStream() ? null : Files.createTempFile("netboot4j-process", ".err");
        try {
            pb.redirectOutput(out.toFile());
            if (err != null) {
                pb.redirectError(err.toFile());
            }
            if (pb.redirectInput() == ProcessBuilder.Redirect.PIPE) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = start(pb, seam);
            boolean finished;
            try {
                finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                kill(p);
                throw e;
            }
            if (!finished) {
                kill(p);
            }
            return new Result(List.copyOf(pb.command()), finished ? p.exitValue() : -1, last(out, keep),
                    err == null ? "" : last(err, keep), !finished);
        } finally {
            Files.deleteIfExists(out);
            if (err != null) {
                Files.deleteIfExists(err);
            }
        }
    }

    /**
     * Runs what {@code pb} describes to its end, giving each line of its standard output to
     * {@code stdout} and of its standard error to {@code stderr} as it comes (progress of a long
     * build), read on two virtual threads; input from {@code /dev/null} unless {@code pb}
     * redirects it. No deadline (a build may take hours): an interrupt kills it and its
     * descendants. The result's output holds the last {@code keepLines} lines of both streams.
     *
     * @param seam where to start it; null for the host
     * @throws IOException if it cannot start (naming the command: is its package installed?)
     * @throws InterruptedException if interrupted while waiting (the process is killed)
     */
    public static Result stream(ProcessBuilder pb, NetworkSeam seam, Consumer<String> stdout, Consumer<String> stderr,
                                int keepLines) throws IOException, InterruptedException {
        if (pb.redirectInput() == ProcessBuilder.Redirect.PIPE) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = start(pb, seam);
        Deque<String> tail = new ArrayDeque<>();
        Thread out = Thread.ofVirtual().start(() -> pump(p.getInputStream(), stdout, tail, keepLines));
        Thread err = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), stderr, tail, keepLines));
        try {
            int exit = p.waitFor();
            out.join();
            err.join();
            synchronized (tail) {
                return new Result(List.copyOf(pb.command()), exit, String.join("\n", tail), "", false);
            }
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
    }

    private static void pump(InputStream in, Consumer<String> sink, Deque<String> tail, int keepLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > keepLines) {
                        tail.removeFirst();
                    }
                }
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process closed its end; nothing more to read
        }
    }

    /** Runs {@code command} on the host and returns its output if it exits 0; see {@link Result#requireSuccess()}. */
    public static String check(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(command, timeout).requireSuccess().output();
    }

    /**
     * Stops {@code p} and the processes it started: SIGTERM, then SIGKILL to those still
     * running after {@code grace}; waits up to {@code grace} more for it to end. An interrupt
     * kills at once (and stays set).
     */
    public static void stop(Process p, Duration grace) {
        List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                all.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            all.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** The last {@code keep} bytes of {@code file} as text, after {@link #DROPPED} if there was more. */
    private static String last(Path file, int keep) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            long from = Math.max(0, size - keep);
            var buf = java.nio.ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // read until full
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            return from == 0 ? text : DROPPED + text;
        }
    }

    /** Starts {@code pb} through {@code seam} (null: the host), naming the command when it cannot. */
    static Process start(ProcessBuilder pb, NetworkSeam seam) throws IOException {
        String command = String.join(" ", pb.command());
        try {
            return seam == null ? pb.start() : seam.call(pb::start);
        } catch (IOException e) {
            throw new IOException("cannot run '" + command + "': " + e.getMessage() + "; is its Debian package installed?", e);
        } catch (Exception e) {
            throw new IOException("cannot run '" + command + "' in the " + seam.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The end of {@code text}, stripped, at most {@link #TAIL} characters. */
    public static String tail(String text) {
        String t = text.strip();
        return t.length() <= TAIL ? t : "..." + t.substring(t.length() - TAIL);
    }
}
