package io.netboot4j.nfsroot.rootfs.internal;

/** Guide part 1.4: {@code /etc/hosts} with the server and every node. */
public final class HostsStep implements Step {

    /** The step's name. */
    public static final String NAME = "hosts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext c) throws Exception {
        boolean changed = c.tree().write("/etc/hosts", RootFiles.hosts(c.cluster()), 0, 0, 0644);
        c.listener().progress(NAME, 1, 1, changed ? "wrote /etc/hosts" : "/etc/hosts is up to date");
    }
}
