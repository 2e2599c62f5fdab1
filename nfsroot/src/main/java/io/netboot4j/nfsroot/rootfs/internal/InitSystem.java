package io.netboot4j.nfsroot.rootfs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Which init system a root boots with, by its {@code /sbin/init}. */
public enum InitSystem {
    /** {@code /sbin/init} leads to systemd (Debian since jessie, Ubuntu since 15.04). */
    SYSTEMD,
    /** {@code /sbin/init} is another program: sysvinit (or upstart, which keeps rcS links too). */
    SYSVINIT,
    /** There is no {@code /sbin/init} (debootstrap's minbase variant). */
    NONE;

    /** The init system of the tree. */
    public static InitSystem of(TreeFiles tree) throws IOException {
        for (String candidate : new String[] {"/sbin/init", "/usr/sbin/init"}) {
            Path init = tree.resolve(candidate);
            if (Files.isSymbolicLink(init)) {
                return Files.readSymbolicLink(init).toString().contains("systemd") ? SYSTEMD : SYSVINIT;
            }
            if (Files.isRegularFile(init, LinkOption.NOFOLLOW_LINKS)) {
                return SYSVINIT;
            }
        }
        return NONE;
    }
}
