package io.netboot4j.core.spi;

/**
 * A named step of a root or kernel build failed. Builds throw a subclass of their own (the
 * debootstrap root build's {@code RootBuildException}, the kernel builds'
 * {@code KernelBuildException}), and {@link io.netboot4j.core.Cluster#prepare(BuildListener)}
 * names the step in its {@link io.netboot4j.core.ClusterPrepareException#step()}.
 */
public abstract class BuildStepException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String step;

    /**
     * @param step the failing step's name
     * @param message the whole message (what failed, why, how to go on)
     * @param cause the underlying exception, or null
     */
    protected BuildStepException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    /** The failing step's name, for example {@code packages} or {@code make-kernel}. */
    public String step() {
        return step;
    }
}
