package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.nfsroot.rootfs.Password;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Guide part 1.4: {@code passwd} for root, {@code adduser <username>} and her line in
 * {@code /etc/sudoers}. The user is made with the root's own {@code useradd} (in the chroot)
 * if she does not exist; her sudo right is the drop-in {@code /etc/sudoers.d/netboot4j}
 * (mode 0440); passwords go into {@code /etc/shadow} as SHA-512 crypt hashes, never through
 * a command line. A hash that already matches is kept, so a re-run changes nothing.
 */
public final class UsersStep extends Step {

    /** The sudoers drop-in this step owns. */
    public static final String SUDOERS = "/etc/sudoers.d/netboot4j";

    /** The step. */
    public UsersStep() {
        super("users");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        TreeFiles tree = c.tree();
        Optional<String> user = c.setup().user();
        if (user.isPresent()) {
            String name = user.get();
            if (!RootFiles.hasUser(tree.read("/etc/passwd").orElse(""), name)) {
                log.info("adding user {}", name);
                c.chroot("useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name)
                        .stdout(line -> log.info("{}", line)).stderr(line -> log.info("{}", line)).runChecked();
            }
            tree.folder("/etc/sudoers.d", 0755);
            tree.write(SUDOERS, RootFiles.sudoers(name), 0, 0, 0440);
        } else if (tree.delete(SUDOERS)) {
            log.info("removed {}: no user is set", SUDOERS);
        }
        Map<String, Password> passwords = new LinkedHashMap<>();
        c.setup().rootPassword().ifPresent(p -> passwords.put("root", p));
        if (user.isPresent() && c.setup().userPassword().isPresent()) {
            passwords.put(user.get(), c.setup().userPassword().get());
        }
        if (!passwords.isEmpty()) {
            String shadow = tree.read("/etc/shadow").orElseThrow(() -> new IllegalStateException("the root has no /etc/shadow"));
            long today = LocalDate.ofInstant(c.clock().instant(), java.time.ZoneOffset.UTC).toEpochDay();
            if (tree.write("/etc/shadow", RootFiles.shadow(shadow, passwords, today, c.random()))) {
                log.info("set the password of {} in /etc/shadow", String.join(" and ", passwords.keySet()));
            }
        }
        return user.map(u -> "user " + u).orElse("no user") + ", "
                + (passwords.containsKey("root") ? "root password set" : "root password unchanged");
    }
}
