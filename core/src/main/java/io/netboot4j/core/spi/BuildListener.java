package io.netboot4j.core.spi;

/** Progress of a long build (debootstrap, a kernel build). */
@FunctionalInterface
public interface BuildListener {

    /**
     * Reports progress.
     *
     * @param step the named step, for example {@code debootstrap} or {@code make kernel}
     * @param done units done in the step, or -1 if unknown
     * @param total units in the step, or -1 if unknown
     * @param detail what is happening, for example a package name
     */
    void progress(String step, int done, int total, String detail);

    /** A listener that ignores progress. */
    static BuildListener none() {
        return (s, d, t, m) -> { };
    }
}
