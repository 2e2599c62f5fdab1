package io.netboot4j.kerrighed;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a kernel build installs to and how its commands reach it.
 *
 * <ul>
 * <li>{@link #chroot(Path)}: the guide's way. Commands run inside the nodes' root
 *     filesystem with {@code chroot}; {@code /usr/src}, {@code /boot} and
 *     {@code /usr/local} are the root's own.</li>
 * <li>{@link #staged(Path)}: commands run on this machine; every path the guide names is
 *     taken below {@code prefix}, and {@code make kernel-install}/{@code make install} get
 *     {@code DESTDIR=<prefix>}. For building without root, and for tests.</li>
 * </ul>
 *
 * @param root the root (or prefix) on this host
 * @param runner runs the build's commands
 * @param staged whether paths are prefixed (staged) rather than seen from inside a chroot
 */
public record BuildRoot(Path root, CommandRunner runner, boolean staged) {

    /** @throws IllegalArgumentException if a part is missing */
    public BuildRoot {
        if (root == null || runner == null) {
            throw new IllegalArgumentException("a build root needs a folder and a command runner");
        }
        root = root.toAbsolutePath().normalize();
    }

    /** Builds inside {@code root} with {@code chroot} (needs root privileges and {@code /bin/sh} in the root). */
    public static BuildRoot chroot(Path root) {
        return new BuildRoot(root, CommandRunner.chroot(root), false);
    }

    /** Builds on this machine, installing below {@code prefix}. */
    public static BuildRoot staged(Path prefix) {
        return new BuildRoot(prefix, CommandRunner.local(), true);
    }

    /** {@code path} (absolute, as the guide names it) as the build's commands see it. */
    public String commandPath(String path) {
        return staged ? root.resolve(relative(path)).toString() : path;
    }

    /** {@code path} (absolute, as the guide names it) on this host. */
    public Path hostPath(String path) {
        return root.resolve(relative(path));
    }

    /** Extra {@code make} arguments for installing: {@code DESTDIR=<prefix>} when staged. */
    public List<String> installArguments() {
        return staged ? List.of("DESTDIR=" + root) : List.of();
    }

    private static String relative(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' must be absolute");
        }
        return path.replaceFirst("^/+", "");
    }

    @Override
    public String toString() {
        return (staged ? "staged below " : "chroot ") + root;
    }
}
