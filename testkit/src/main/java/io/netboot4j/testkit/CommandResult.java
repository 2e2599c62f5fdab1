package io.netboot4j.testkit;

import java.util.List;

/**
 * What a finished command did.
 *
 * @param command the command line
 * @param exitCode its exit code
 * @param output standard output and standard error, interleaved
 */
public record CommandResult(List<String> command, int exitCode, String output) {

    /** Whether it exited with 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /**
     * Returns this result if the command succeeded.
     *
     * @throws IllegalStateException carrying the command, exit code and output tail otherwise
     */
    public CommandResult check() {
        if (exitCode != 0) {
            throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + "\n" + tail(output, 2000));
        }
        return this;
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }
}
