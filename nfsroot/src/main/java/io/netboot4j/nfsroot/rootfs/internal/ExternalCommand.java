package io.netboot4j.nfsroot.rootfs.internal;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an external program (debootstrap, chroot, mount), streaming each line of its output
 * to consumers as it comes and keeping the last lines for the error message.
 */
public final class ExternalCommand {

    private static final int TAIL = 30;

    private final List<String> argv;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Consumer<String> stdout = line -> { };
    private Consumer<String> stderr = line -> { };

    private ExternalCommand(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    /** A command line; the first element is the program. */
    public static ExternalCommand of(List<String> argv) {
        return new ExternalCommand(argv);
    }

    /** A command line; the first element is the program. */
    public static ExternalCommand of(String... argv) {
        return new ExternalCommand(List.of(argv));
    }

    /** Sets an environment variable (on top of the JVM's environment). */
    public ExternalCommand env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Sets the environment Debian tools run best with: C locale, no questions, the sbin folders on the path. */
    public ExternalCommand debianEnvironment() {
        return env("LC_ALL", "C").env("LANGUAGE", "C").env("DEBIAN_FRONTEND", "noninteractive")
                .env("DEBCONF_NONINTERACTIVE_SEEN", "true")
                .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /** Where standard output lines go. */
    public ExternalCommand stdout(Consumer<String> sink) {
        this.stdout = sink;
        return this;
    }

    /** Where standard error lines go. */
    public ExternalCommand stderr(Consumer<String> sink) {
        this.stderr = sink;
        return this;
    }

    /** The command line as one string, for messages. */
    public String commandLine() {
        return String.join(" ", argv);
    }

    /**
     * Runs the command to its end (standard input is {@code /dev/null}).
     *
     * @return the exit code
     * @throws IOException if the program cannot be started
     * @throws InterruptedException if interrupted while waiting; the process is killed
     */
    public Result run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + commandLine() + "': " + e.getMessage(), e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread out = Thread.ofVirtual().start(() -> pump(p.getInputStream(), stdout, tail));
        Thread err = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), stderr, tail));
        try {
            int code = p.waitFor();
            out.join();
            err.join();
            synchronized (tail) {
                return new Result(commandLine(), code, List.copyOf(tail));
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    /** Runs the command and fails unless it exits with 0. */
    public Result runChecked() throws IOException, InterruptedException {
        Result r = run();
        r.check();
        return r;
    }

    private static void pump(InputStream in, Consumer<String> sink, Deque<String> tail) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process closed its end; nothing more to read
        }
    }

    /**
     * How a command ended.
     *
     * @param commandLine the command
     * @param exitCode its exit code
     * @param tail its last output lines
     */
    public record Result(String commandLine, int exitCode, List<String> tail) {

        /** @throws IOException with the command, exit code and output tail unless the exit code is 0 */
        public Result check() throws IOException {
            if (exitCode != 0) {
                throw new IOException("'" + commandLine + "' exited with " + exitCode
                        + (tail.isEmpty() ? "" : "; last output:\n  " + String.join("\n  ", tail)));
            }
            return this;
        }
    }
}
