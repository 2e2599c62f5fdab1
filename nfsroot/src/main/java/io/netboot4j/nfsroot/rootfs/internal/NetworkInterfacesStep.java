package io.netboot4j.nfsroot.rootfs.internal;

/** Guide part 1.4: {@code /etc/network/interfaces} with the boot interface {@code manual}. */
public final class NetworkInterfacesStep implements Step {

    /** The step's name. */
    public static final String NAME = "network-interfaces";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext c) throws Exception {
        boolean changed = c.tree().write("/etc/network/interfaces", RootFiles.interfaces(c.setup().bootInterface()), 0, 0, 0644);
        c.listener().progress(NAME, 1, 1, changed ? "wrote /etc/network/interfaces" : "/etc/network/interfaces is up to date");
    }
}
