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

    /**
     * A build begins: {@code number} of {@code count} (for example the root build, then the
     * kernel build of {@link io.netboot4j.core.Cluster#prepare(BuildListener)}). Ignored by default.
     *
     * @param number the build's place, from 1
     * @param count how many builds run
     * @param name the build, for example {@code debootstrap root build}
     */
    default void phase(int number, int count, String name) {
    }

    /** A listener that ignores progress. */
    static BuildListener none() {
        return (s, d, t, m) -> { };
    }
}
