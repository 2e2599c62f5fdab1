package io.netboot4j.core.spi;

/** Produces the shared root filesystem in the cluster's root folder: the guide's part 1.4. */
public interface RootBuild {

    /**
     * Builds (or checks) the root filesystem; re-running it is safe.
     *
     * @param listener receives progress
     * @throws Exception naming the failing step
     */
    void build(BuildListener listener) throws Exception;
}
