package io.netboot4j.nfsroot.rootfs;

import io.netboot4j.core.spi.BuildStepException;
import java.nio.file.Path;

/**
 * A step of a root build failed. The half-made tree is kept for inspection; building again
 * resumes: finished work (debootstrap, installed packages, files already right) is kept.
 */
public final class RootBuildException extends BuildStepException {

    private static final long serialVersionUID = 1L;

    private final transient Path root;

    /**
     * @param step the failing step's name
     * @param root the tree
     * @param cause what went wrong
     */
    public RootBuildException(String step, Path root, Throwable cause) {
        super(step, "root build step '" + step + "' failed for " + root + ": " + cause.getMessage()
                + " (the half-made tree is kept; building again resumes)", cause);
        this.root = root;
    }

    /** The tree that was being built. */
    public Path root() {
        return root;
    }
}
