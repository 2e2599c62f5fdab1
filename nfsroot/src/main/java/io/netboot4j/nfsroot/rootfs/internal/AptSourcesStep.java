package io.netboot4j.nfsroot.rootfs.internal;

/** Guide part 1.4: the nodes' {@code /etc/apt/sources.list}, from the guide's list as a template for the suite. */
public final class AptSourcesStep implements Step {

    /** The step's name. */
    public static final String NAME = "apt-sources";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext c) throws Exception {
        boolean changed = c.tree().write("/etc/apt/sources.list", RootFiles.aptSources(c.debootstrap(), c.setup()), 0, 0, 0644);
        c.listener().progress(NAME, 1, 1, changed ? "wrote /etc/apt/sources.list" : "/etc/apt/sources.list is up to date");
    }
}
