package io.netboot4j.nfsroot.rootfs.internal;

/**
 * Guide parts 1.4 and 2.1: {@code /etc/fstab} with {@code proc} and {@code /dev/nfs}, and
 * for a Kerrighed cluster {@code configfs} on {@code /config} (and that folder).
 */
public final class FstabStep extends Step {

    /** The step. */
    public FstabStep() {
        super("fstab");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        boolean configfs = c.configfs();
        boolean changed = c.tree().write("/etc/fstab", RootFiles.fstab(configfs), 0, 0, 0644);
        if (configfs) {
            changed |= c.tree().folder("/config", 0755);
        }
        return (changed ? "wrote /etc/fstab" : "/etc/fstab is up to date") + (configfs ? " (with configfs)" : "");
    }
}
