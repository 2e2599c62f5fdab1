package io.netboot4j.nfsroot.rootfs.internal;

/**
 * One named, re-runnable step of the root build. A step writes only the files it owns and
 * leaves a file alone when it is already right, so running it twice changes nothing.
 */
public interface Step {

    /** The step's name, for example {@code fstab}. */
    String name();

    /** Runs the step. */
    void run(StepContext context) throws Exception;
}
