package io.netboot4j.nfsroot.rootfs.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /etc/hostname} of a shared root: there is none. All nodes share one root, so a name
 * written there would be every node's name (debootstrap copies the head's own there). Without
 * the file, each node keeps the name DHCP gave it at boot: the initramfs' {@code ipconfig}
 * (or the kernel's {@code ip=dhcp}) sets it from the DHCP host name option, which the head
 * sends from the node's entry (the guide's {@code use-host-decl-names on}); systemd and
 * sysvinit's {@code hostname.sh} keep a name already set when {@code /etc/hostname} is missing.
 */
public final class HostnameStep implements Step {

    /** The step's name. */
    public static final String NAME = "hostname";

    private static final Logger LOG = LoggerFactory.getLogger("io.netboot4j.nfsroot.rootfs.hostname");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext c) throws Exception {
        boolean deleted = c.tree().delete("/etc/hostname");
        if (deleted) {
            LOG.info("removed /etc/hostname from the shared root: each node takes its name from DHCP");
        }
        c.listener().progress(NAME, 1, 1, deleted ? "removed /etc/hostname" : "no /etc/hostname");
    }
}
