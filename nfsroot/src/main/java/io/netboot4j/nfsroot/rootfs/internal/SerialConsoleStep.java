package io.netboot4j.nfsroot.rootfs.internal;

import java.util.Optional;

/**
 * A login prompt on a serial line (for example {@code ttyS0}, where a QEMU node's
 * {@code -serial} goes): on systemd releases the link
 * {@code /etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service}, as
 * {@code systemctl enable serial-getty@ttyS0} makes it; on sysvinit releases a line in
 * {@code /etc/inittab}. Does nothing unless a serial console is set.
 */
public final class SerialConsoleStep extends Step {

    /** The step. */
    public SerialConsoleStep() {
        super("serial-console");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        Optional<String> tty = c.setup().serialConsole();
        if (tty.isEmpty()) {
            return "no serial console set";
        }
        TreeFiles tree = c.tree();
        String detail;
        switch (InitSystem.of(tree)) {
            case SYSTEMD -> {
                String unit = java.util.stream.Stream.of("/lib/systemd/system/serial-getty@.service",
                        "/usr/lib/systemd/system/serial-getty@.service").filter(tree::exists).findFirst()
                        .orElseThrow(() -> new IllegalStateException("systemd release without serial-getty@.service; cannot enable a serial getty"));
                String link = "/etc/systemd/system/getty.target.wants/serial-getty@" + tty.get() + ".service";
                detail = tree.symlink(link, unit) ? "enabled serial-getty@" + tty.get() : "serial-getty@" + tty.get() + " is enabled";
            }
            case SYSVINIT -> {
                String inittab = tree.read("/etc/inittab").orElse("");
                boolean present = inittab.lines().anyMatch(l -> !l.startsWith("#") && l.contains(" " + tty.get() + " "));
                if (!present) {
                    String text = inittab.isEmpty() || inittab.endsWith("\n") ? inittab : inittab + "\n";
                    tree.write("/etc/inittab", text + RootFiles.inittabSerialLine(tty.get()) + "\n");
                }
                detail = present ? "/etc/inittab already runs a getty on " + tty.get() : "added a getty on " + tty.get() + " to /etc/inittab";
            }
            default -> {
                detail = "no init system in the root; no serial getty";
                log.warn("{}", detail);
            }
        }
        return detail;
    }
}
