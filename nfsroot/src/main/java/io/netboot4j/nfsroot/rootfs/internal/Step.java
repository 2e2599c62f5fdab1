package io.netboot4j.nfsroot.rootfs.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named, re-runnable step of the root build. A step writes only the files it owns and
 * leaves a file alone when it is already right, so running it twice changes nothing. Each
 * step logs under {@code io.netboot4j.nfsroot.rootfs.<name>} and ends with one progress line
 * saying what it did.
 */
public abstract class Step {

    private final String name;
    /** The step's logger, {@code io.netboot4j.nfsroot.rootfs.<name>}. */
    protected final Logger log;

    /** A step named {@code name}, for example {@code fstab}. */
    protected Step(String name) {
        this.name = name;
        this.log = LoggerFactory.getLogger("io.netboot4j.nfsroot.rootfs." + name);
    }

    /** The step's name, for example {@code fstab}. */
    public final String name() {
        return name;
    }

    /** Runs the step, then reports what it did as its progress {@code total/total}. */
    public final void run(StepContext context) throws Exception {
        String detail = apply(context);
        int total = total(context);
        context.listener().progress(name, total, total, detail);
    }

    /** What the step's closing progress counts: 1, or what the step counts (packages: the packages wanted). */
    protected int total(StepContext context) {
        return 1;
    }

    /** Does the step's work and says in one line what it did (or why nothing was needed). */
    protected abstract String apply(StepContext context) throws Exception;
}
