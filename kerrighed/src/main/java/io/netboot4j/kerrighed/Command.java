package io.netboot4j.kerrighed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A command for a {@link CommandRunner}: its arguments, the folder it runs in (as the
 * runner's system sees it), extra environment variables, and a time limit.
 *
 * @param argv the program and its arguments; not run through a shell
 * @param directory the working folder, absolute, as seen where the command runs; the runner's default if empty
 * @param environment variables set for the command in addition to the runner's
 * @param timeout how long the command may run before it is stopped and reported as failed
 */
public record Command(List<String> argv, Optional<String> directory, Map<String, String> environment, Duration timeout) {

    /** The time limit of {@link #of(String...)}: one hour, for kernel builds on slow machines. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    /**
     * @throws IllegalArgumentException if there is no program, an argument holds a NUL,
     *     the folder is not absolute, a variable name is not a shell name, or the timeout is not positive
     */
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        for (String a : argv) {
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command argument contains a NUL character: " + a.replace('\0', '?'));
            }
        }
        if (directory.isPresent() && !directory.get().startsWith("/")) {
            throw new IllegalArgumentException("working folder '" + directory.get() + "' must be absolute");
        }
        environment = Map.copyOf(new LinkedHashMap<>(environment));
        for (String name : environment.keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("environment variable name '" + name + "' is not a shell name");
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
    }

    /** A command with no folder, no extra environment and the {@linkplain #DEFAULT_TIMEOUT default time limit}. */
    public static Command of(String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), DEFAULT_TIMEOUT);
    }

    /** A command with no folder, no extra environment and the default time limit. */
    public static Command of(List<String> argv) {
        return new Command(argv, Optional.empty(), Map.of(), DEFAULT_TIMEOUT);
    }

    /** The same command, run in {@code folder} (absolute, as seen where it runs). */
    public Command in(String folder) {
        return new Command(argv, Optional.of(folder), environment, timeout);
    }

    /** The same command with one more environment variable. */
    public Command with(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Command(argv, directory, env, timeout);
    }

    /** The same command with another time limit. */
    public Command timeout(Duration limit) {
        return new Command(argv, directory, environment, limit);
    }

    /** The arguments joined by spaces, each quoted for a POSIX shell where needed: {@code make kernel}. */
    public String commandLine() {
        List<String> out = new ArrayList<>(argv.size());
        for (String a : argv) {
            out.add(quote(a));
        }
        return String.join(" ", out);
    }

    /**
     * A POSIX shell script that runs this command: {@code cd} to the folder, then
     * {@code exec env NAME=value ... program args}. Used by runners that go through a shell
     * ({@code chroot}, SSH).
     */
    public String shellScript() {
        StringBuilder b = new StringBuilder();
        directory.ifPresent(d -> b.append("cd ").append(quote(d)).append(" && "));
        b.append("exec ");
        if (!environment.isEmpty()) {
            b.append("env");
            environment.forEach((k, v) -> b.append(' ').append(k).append('=').append(quote(v)));
            b.append(' ');
        }
        b.append(commandLine());
        return b.toString();
    }

    /** {@code text} quoted for a POSIX shell: as is when it is plainly safe, else in single quotes. */
    public static String quote(String text) {
        if (!text.isEmpty() && SAFE.matcher(text).matches()) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return commandLine() + directory.map(d -> " (in " + d + ")").orElse("");
    }
}
