package io.netboot4j.kerrighed;

import java.util.List;

/**
 * What a command did.
 *
 * @param command the command
 * @param where the runner that ran it, for example {@code local} or {@code ssh root@192.168.1.101:22}
 * @param exitCode its exit status; -1 if it was stopped at its time limit
 * @param stdout its standard output (the last {@value #KEPT_CHARACTERS} characters at most)
 * @param stderr its standard error (the last {@value #KEPT_CHARACTERS} characters at most)
 */
public record CommandResult(Command command, String where, int exitCode, String stdout, String stderr) {

    /** How much of each output stream is kept: the tail, 1 MiB of characters. */
    public static final int KEPT_CHARACTERS = 1 << 20;

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output, then standard error. */
    public String output() {
        if (stderr.isEmpty()) {
            return stdout;
        }
        if (stdout.isEmpty()) {
            return stderr;
        }
        return stdout.endsWith("\n") ? stdout + stderr : stdout + "\n" + stderr;
    }

    /** The last {@code lines} lines of {@link #output()}. */
    public String outputTail(int lines) {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * This result if the command succeeded.
     *
     * @throws CommandFailedException carrying the command, exit code and output if it did not
     */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new CommandFailedException(this, null);
        }
        return this;
    }
}
