package io.netboot4j.nfsroot.rootfs.internal;

/**
 * {@code /etc/hostname} of a shared root: there is none. All nodes share one root, so a name
 * written there would be every node's name (debootstrap copies the head's own there). Without
 * the file, each node keeps the name DHCP gave it at boot: the initramfs' {@code ipconfig}
 * (or the kernel's {@code ip=dhcp}) sets it from the DHCP host name option, which the head
 * sends from the node's entry (the guide's {@code use-host-decl-names on}); systemd and
 * sysvinit's {@code hostname.sh} keep a name already set when {@code /etc/hostname} is missing.
 */
public final class HostnameStep extends Step {

    /** The step. */
    public HostnameStep() {
        super("hostname");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        if (!c.tree().delete("/etc/hostname")) {
            return "no /etc/hostname";
        }
        log.info("removed /etc/hostname from the shared root: each node takes its name from DHCP");
        return "removed /etc/hostname";
    }
}
