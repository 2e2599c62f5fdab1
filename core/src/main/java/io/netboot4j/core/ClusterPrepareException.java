package io.netboot4j.core;

import io.netboot4j.core.spi.BuildStepException;
import java.util.Optional;

/**
 * Thrown by {@link Cluster#prepare(io.netboot4j.core.spi.BuildListener)} when the root or
 * kernel build fails; names the build, and the step when the build named it. What the build finished before it failed stays
 * done: preparing again resumes.
 */
public final class ClusterPrepareException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The build that failed, for example {@code debootstrap root build}. */
    private final String build;
    /** The failing step, if the build named it ({@link BuildStepException}). */
    private final String step;

    /** @param build the failing build's name; @param cause why it failed */
    public ClusterPrepareException(String build, Throwable cause) {
        super("could not prepare: " + build + " failed: " + cause.getMessage(), cause);
        this.build = build;
        this.step = cause instanceof BuildStepException s ? s.step() : null;
    }

    /** The build that failed, for example {@code kerrighed-2.4 kernel build}. */
    public String build() {
        return build;
    }

    /** The failing step of the build, for example {@code packages}, if the build named it. */
    public Optional<String> step() {
        return Optional.ofNullable(step);
    }
}
