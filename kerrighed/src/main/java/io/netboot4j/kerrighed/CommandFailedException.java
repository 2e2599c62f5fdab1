package io.netboot4j.kerrighed;

import java.io.Serial;

/**
 * A command failed: it exited with a non-zero status, was stopped at its time limit, or
 * (for {@code krgadm}/{@code krgcapset}) answered with an error. Carries the command, its
 * exit code and its output; the message shows the output's tail.
 */
public class CommandFailedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Lines of output the message shows. */
    public static final int TAIL_LINES = 20;

    private final transient CommandResult result;

    /**
     * @param result what the command did
     * @param reason why it counts as failed, if not its exit status (for example a tool's error message); may be null
     */
    public CommandFailedException(CommandResult result, String reason) {
        super(message(result, reason));
        this.result = result;
    }

    private static String message(CommandResult r, String reason) {
        StringBuilder b = new StringBuilder("`").append(r.command().commandLine()).append('`');
        r.command().directory().ifPresent(d -> b.append(" in ").append(d));
        b.append(" (").append(r.where()).append(")");
        if (reason != null) {
            b.append(' ').append(reason).append(" (exit code ").append(r.exitCode()).append(')');
        } else if (r.exitCode() == -1) {
            b.append(" was stopped at its time limit of ").append(r.command().timeout());
        } else {
            b.append(" exited with ").append(r.exitCode());
        }
        String tail = r.outputTail(TAIL_LINES);
        b.append(tail.isBlank() ? "; no output" : "; output tail:\n" + tail);
        return b.toString();
    }

    /** What the command did. */
    public CommandResult result() {
        return result;
    }

    /** The command line. */
    public String command() {
        return result.command().commandLine();
    }

    /** The exit code; -1 if the command was stopped at its time limit. */
    public int exitCode() {
        return result.exitCode();
    }

    /** Standard output then standard error. */
    public String output() {
        return result.output();
    }
}
