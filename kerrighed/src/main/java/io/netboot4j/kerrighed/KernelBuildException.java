package io.netboot4j.kerrighed;

import io.netboot4j.core.spi.BuildStepException;
import java.io.Serial;
import java.util.Optional;

/**
 * A kernel build step failed. The message names the build, the step and why; when a
 * command failed it carries the command's result, and the message ends with its output tail.
 */
public class KernelBuildException extends BuildStepException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String build;
    private final transient CommandResult result;

    /**
     * @param build the build's name, for example {@code kerrighed-2.4}
     * @param step the failing step, for example {@code make-kernel}
     * @param reason what went wrong and how to fix it
     * @param result the failing command's result, or null
     * @param cause the underlying exception, or null
     */
    public KernelBuildException(String build, String step, String reason, CommandResult result, Throwable cause) {
        super(step, build + " step '" + step + "' failed: " + reason, cause);
        this.build = build;
        this.result = result;
    }

    /** The build's name, for example {@code kerrighed-2.4}. */
    public String build() {
        return build;
    }

    /** The failing command's result, if a command failed. */
    public Optional<CommandResult> result() {
        return Optional.ofNullable(result);
    }
}
