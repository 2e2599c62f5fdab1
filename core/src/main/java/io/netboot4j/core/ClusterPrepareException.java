package io.netboot4j.core;

/**
 * Thrown by {@link Cluster#prepare(io.netboot4j.core.spi.BuildListener)} when the root or
 * kernel build fails; names the build. What the build finished before it failed stays
 * done: preparing again resumes.
 */
public final class ClusterPrepareException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The build that failed, for example {@code debootstrap root build}. */
    private final String build;

    /** @param build the failing build's name; @param cause why it failed */
    public ClusterPrepareException(String build, Throwable cause) {
        super("could not prepare: " + build + " failed: " + cause.getMessage(), cause);
        this.build = build;
    }

    /** The build that failed, for example {@code kerrighed-2.4 kernel build}. */
    public String build() {
        return build;
    }
}
