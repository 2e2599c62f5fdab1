package io.netboot4j.nfsroot.rootfs.internal;

/**
 * A step that owns one configuration file of the root (mode 0644, owned by root) and writes
 * it from the description: the guide's part 1.4 {@code /etc/apt/sources.list},
 * {@code /etc/hosts} and {@code /etc/network/interfaces}.
 */
public final class RootFileStep extends Step {

    /** What the file holds, rendered from the step's context. */
    @FunctionalInterface
    interface Content {
        String of(StepContext context);
    }

    private final String path;
    private final Content content;

    private RootFileStep(String name, String path, Content content) {
        super(name);
        this.path = path;
        this.content = content;
    }

    /** The nodes' {@code /etc/apt/sources.list}, from the guide's list as a template for the suite. */
    public static RootFileStep aptSources() {
        return new RootFileStep("apt-sources", "/etc/apt/sources.list", c -> RootFiles.aptSources(c.debootstrap(), c.setup()));
    }

    /** {@code /etc/hosts} with the server and every node. */
    public static RootFileStep hosts() {
        return new RootFileStep("hosts", "/etc/hosts", c -> RootFiles.hosts(c.cluster()));
    }

    /** {@code /etc/network/interfaces} with the boot interface {@code manual}. */
    public static RootFileStep networkInterfaces() {
        return new RootFileStep("network-interfaces", "/etc/network/interfaces", c -> RootFiles.interfaces(c.setup().bootInterface()));
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        return c.tree().write(path, content.of(c), 0, 0, 0644) ? "wrote " + path : path + " is up to date";
    }
}
