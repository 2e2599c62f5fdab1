package io.netboot4j.nfsroot.rootfs.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Guide part 1.4: {@code ln -sf /etc/network/if-up.d/mountnfs /etc/rcS.d/S34mountnfs}, only
 * where the release boots with static sysvinit rcS links (Ubuntu 8.04, Debian before 6.0):
 * sysvinit as init, an {@code /etc/rcS.d} folder, the {@code mountnfs} script, and no
 * dependency-based boot ({@code insserv}), which numbers the links itself. An {@code S34}
 * link of another service is an error, as the guide warns.
 *
 * <p>Nothing is done on systemd releases: the initramfs mounts the root ({@code root=/dev/nfs}),
 * and systemd mounts the other NFS lines of {@code /etc/fstab} by itself
 * ({@code remote-fs.target}); {@code mountnfs} belongs to sysvinit's {@code initscripts}, which
 * systemd releases do not install.
 */
public final class MountNfsLinkStep extends Step {

    /** The guide's link. */
    public static final String LINK = "/etc/rcS.d/S34mountnfs";
    /** What it points to. */
    public static final String TARGET = "/etc/network/if-up.d/mountnfs";

    /** The step. */
    public MountNfsLinkStep() {
        super("mountnfs-link");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        TreeFiles tree = c.tree();
        InitSystem init = InitSystem.of(tree);
        String why = null;
        if (init == InitSystem.SYSTEMD) {
            why = "systemd release: the initramfs mounts the root and systemd the rest of /etc/fstab; no rcS link";
        } else if (init == InitSystem.NONE) {
            why = "no init system in the root (debootstrap variant minbase?); no rcS link";
        } else if (!Files.isDirectory(tree.resolve("/etc/rcS.d"))) {
            why = "no /etc/rcS.d; no rcS link";
        } else if (!tree.exists(TARGET)) {
            why = "no " + TARGET + " (initscripts not installed); no rcS link";
        } else if (tree.exists("/etc/init.d/.depend.boot") || tree.exists("/sbin/insserv") || tree.exists("/usr/sbin/insserv")) {
            why = "dependency-based boot (insserv) orders rcS itself; no hand-made rcS link";
        }
        if (why != null) {
            log.info("{}", why);
            return why;
        }
        Path rcs = tree.resolve("/etc/rcS.d");
        List<String> clashes;
        try (Stream<Path> s = Files.list(rcs)) {
            clashes = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("S34") && !n.equals("S34mountnfs")).toList();
        }
        if (!clashes.isEmpty()) {
            throw new IllegalStateException("/etc/rcS.d already has " + String.join(", ", clashes)
                    + " at position 34; disable it first, as the guide says, then run this step again");
        }
        return tree.symlink(LINK, TARGET) ? "linked " + LINK : LINK + " is in place";
    }
}
