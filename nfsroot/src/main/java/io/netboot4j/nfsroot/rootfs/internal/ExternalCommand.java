package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.internal.Processes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An external program of the root build (debootstrap, chroot, mount) with its environment
 * and where its output lines go: each line reaches its consumer as it comes, and the last
 * lines are kept for the error message. Runs through core's {@link Processes#stream}.
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
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(environment);
        Processes.Result r = Processes.stream(pb, null, stdout, stderr, TAIL);
        return new Result(commandLine(), r.exit(), r.output().isEmpty() ? List.of() : r.output().lines().toList());
    }

    /** Runs the command and fails unless it exits with 0. */
    public Result runChecked() throws IOException, InterruptedException {
        Result r = run();
        r.check();
        return r;
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
