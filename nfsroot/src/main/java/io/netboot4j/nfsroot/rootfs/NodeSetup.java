package io.netboot4j.nfsroot.rootfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guide's setup inside the root (part 1.4 after debootstrap, and the root parts of 2.1):
 * apt sources, the packages the nodes need, {@code /etc/fstab}, {@code /etc/hosts},
 * {@code /etc/hostname}, {@code /etc/network/interfaces}, a user with sudo rights, the root
 * password, the {@code mountnfs} boot link and an optional serial console. Made by
 * {@link #builder()}; {@link #defaults()} installs {@link #DEFAULT_PACKAGES} and sets no
 * password (root stays locked, as debootstrap leaves it).
 *
 * {@snippet :
 * NodeSetup setup = NodeSetup.builder()
 *     .user("kerrighed", Password.hashed("$6$9y8Fxk0tL3bXqV2e$..."))
 *     .rootPassword(Password.clear(secret))
 *     .serialConsole("ttyS0")
 *     .build();
 * }
 *
 * @param packages packages installed in the root with apt-get (the guide's
 *     {@code dhcp3-common nfs-common nfsbooted openssh-server}, mapped to current names)
 * @param installRecommends whether apt installs recommended packages too (default no)
 * @param bootInterface the nodes' interface that carries the NFS root, written as {@code manual}
 *     to {@code /etc/network/interfaces} (the guide's {@code eth0})
 * @param configfs whether {@code /etc/fstab} mounts {@code configfs} on {@code /config}; empty:
 *     when the cluster has an extension named {@code kerrighed}
 * @param user the user with sudo rights (the guide's {@code adduser <username>}), if any
 * @param userPassword that user's password, if any (else her account has no usable password)
 * @param rootPassword root's password, if any (else root stays as debootstrap left it: locked)
 * @param serialConsole a serial line given a login prompt, for example {@code ttyS0}, if any
 * @param aptSourceLines whether the apt sources also list {@code deb-src} lines (the guide: yes)
 * @param aptExtraLines further apt sources lines, {@code {suite}} replaced by the suite
 *     (the guide's {@code deb http://archive.canonical.com/ubuntu hardy partner})
 */
public record NodeSetup(List<String> packages, boolean installRecommends, String bootInterface, Optional<Boolean> configfs,
                        Optional<String> user, Optional<Password> userPassword, Optional<Password> rootPassword,
                        Optional<String> serialConsole, boolean aptSourceLines, List<String> aptExtraLines) {

    /**
     * The packages current Debian nodes need: {@code nfs-common} (as in the guide),
     * {@code openssh-server} (as in the guide), {@code isc-dhcp-client} (the guide's
     * {@code dhcp3-common}; the guide's {@code dhcp3-*} packages were renamed {@code isc-dhcp-*})
     * and {@code sudo} (for the guide's sudoers line). The guide's {@code nfsbooted} has no
     * successor: its job, mounting the root over NFS at boot, is done by the initramfs of
     * Debian's stock kernel ({@code root=/dev/nfs}).
     */
    public static final List<String> DEFAULT_PACKAGES = List.of("nfs-common", "openssh-server", "isc-dhcp-client", "sudo");

    /**
     * What a {@link Debootstrap.Variant#MINBASE} root needs besides {@link #DEFAULT_PACKAGES} to
     * boot to a login prompt: an init system ({@code systemd-sysv}), {@code udev} (without it
     * no device unit appears and {@code serial-getty@ttyS0} fails on a dependency) and
     * {@code ifupdown} (reads {@code /etc/network/interfaces}). The standard variant has them.
     */
    public static final List<String> MINBASE_BOOT_PACKAGES = List.of("systemd-sysv", "udev", "ifupdown");

    /** The guide's own list, for Ubuntu 8.04 ({@link Debootstrap#guide()}). */
    public static final List<String> GUIDE_PACKAGES = List.of("dhcp3-common", "nfs-common", "nfsbooted", "openssh-server");

    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9.+-]+");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:-]{1,15}");
    private static final Pattern TTY = Pattern.compile("tty[A-Za-z0-9]{1,12}");

    /** Copies the lists. Use {@link #builder()}: this constructor does not validate. */
    public NodeSetup {
        packages = List.copyOf(packages);
        aptExtraLines = List.copyOf(aptExtraLines);
    }

    /** {@link #DEFAULT_PACKAGES}, boot interface {@code eth0}, no user, no passwords, no serial console. */
    public static NodeSetup defaults() {
        return builder().build();
    }

    /**
     * The guide's setup for Ubuntu 8.04: {@link #GUIDE_PACKAGES}, {@code deb-src} lines and
     * the partner archive in the apt sources. Add the user and passwords with {@link #toBuilder()}.
     */
    public static NodeSetup guide() {
        return builder().packages(GUIDE_PACKAGES).aptSourceLines(true)
                .aptExtraLine("deb http://archive.canonical.com/ubuntu {suite} partner").build();
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.packages = new ArrayList<>(packages);
        b.installRecommends = installRecommends;
        b.bootInterface = bootInterface;
        b.configfs = configfs;
        b.user = user;
        b.userPassword = userPassword;
        b.rootPassword = rootPassword;
        b.serialConsole = serialConsole;
        b.aptSourceLines = aptSourceLines;
        b.aptExtraLines = new ArrayList<>(aptExtraLines);
        return b;
    }

    /** Builds {@link NodeSetup}; every setter checks its argument at once. */
    public static final class Builder {

        private List<String> packages = new ArrayList<>(DEFAULT_PACKAGES);
        private boolean installRecommends;
        private String bootInterface = "eth0";
        private Optional<Boolean> configfs = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<Password> userPassword = Optional.empty();
        private Optional<Password> rootPassword = Optional.empty();
        private Optional<String> serialConsole = Optional.empty();
        private boolean aptSourceLines;
        private List<String> aptExtraLines = new ArrayList<>();

        private Builder() {
        }

        /**
         * The packages installed in the root (replacing the list); may be empty.
         *
         * @throws IllegalArgumentException naming a malformed package name
         */
        public Builder packages(List<String> packages) {
            List<String> p = new ArrayList<>();
            for (String s : packages) {
                if (s == null || !PACKAGE.matcher(s).matches()) {
                    throw new IllegalArgumentException("package name '" + s + "' is not valid: lower-case letters, digits and . + -");
                }
                if (!p.contains(s)) {
                    p.add(s);
                }
            }
            this.packages = p;
            return this;
        }

        /** The packages installed in the root (replacing the list). */
        public Builder packages(String... packages) {
            return packages(List.of(packages));
        }

        /** Whether apt installs recommended packages too; default no. */
        public Builder installRecommends(boolean install) {
            this.installRecommends = install;
            return this;
        }

        /**
         * The nodes' boot interface; default {@code eth0} (add {@code net.ifnames=0} to the
         * kernel arguments to keep that name on current kernels, or name the predictable one, such as {@code ens3}).
         *
         * @throws IllegalArgumentException if it is not an interface name
         */
        public Builder bootInterface(String name) {
            if (name == null || !INTERFACE.matcher(name).matches() || name.equals("lo")) {
                throw new IllegalArgumentException("boot interface '" + name + "' is not a network interface name (1-15 characters, not lo)");
            }
            this.bootInterface = name;
            return this;
        }

        /** Whether to mount configfs on {@code /config} (Kerrighed needs it); default: when the cluster has a Kerrighed extension. */
        public Builder configfs(boolean mount) {
            this.configfs = Optional.of(mount);
            return this;
        }

        /**
         * The user with sudo rights (the guide's {@code adduser <username>} and sudoers line).
         *
         * @param name a login name: lower-case letter or underscore first, then letters, digits, {@code _} or {@code -}; 32 at most
         * @param password her password
         * @throws IllegalArgumentException if the name is not a valid login name or is {@code root}
         */
        public Builder user(String name, Password password) {
            checkUser(name);
            if (password == null) {
                throw new IllegalArgumentException("password of user " + name + " must not be null");
            }
            this.user = Optional.of(name);
            this.userPassword = Optional.of(password);
            return this;
        }

        /** The user with sudo rights, without a usable password (log in with ssh keys, or set one later). */
        public Builder user(String name) {
            checkUser(name);
            this.user = Optional.of(name);
            this.userPassword = Optional.empty();
            return this;
        }

        private static void checkUser(String name) {
            if (name == null || !USER.matcher(name).matches() || name.equals("root")) {
                throw new IllegalArgumentException("user name '" + name + "' is not a valid login name (lower-case letter or _ first, "
                        + "then letters, digits, _ or -, 32 at most, not root)");
            }
        }

        /** Root's password (the guide's {@code passwd} in the chroot). */
        public Builder rootPassword(Password password) {
            if (password == null) {
                throw new IllegalArgumentException("root password must not be null");
            }
            this.rootPassword = Optional.of(password);
            return this;
        }

        /**
         * Gives {@code tty} (for example {@code ttyS0}) a login prompt at 115200 baud:
         * {@code serial-getty@tty.service} on systemd releases, an {@code /etc/inittab} line on sysvinit ones.
         *
         * @throws IllegalArgumentException if it is not a tty name
         */
        public Builder serialConsole(String tty) {
            if (tty == null || !TTY.matcher(tty).matches()) {
                throw new IllegalArgumentException("serial console '" + tty + "' is not a tty name such as ttyS0");
            }
            this.serialConsole = Optional.of(tty);
            return this;
        }

        /** Whether the apt sources list {@code deb-src} lines too; default no. */
        public Builder aptSourceLines(boolean sourceLines) {
            this.aptSourceLines = sourceLines;
            return this;
        }

        /**
         * Adds an apt sources line, {@code {suite}} replaced by the suite.
         *
         * @throws IllegalArgumentException unless it starts with {@code deb } or {@code deb-src } and is one line
         */
        public Builder aptExtraLine(String line) {
            if (line == null || !(line.startsWith("deb ") || line.startsWith("deb-src ")) || line.contains("\n")) {
                throw new IllegalArgumentException("apt sources line '" + line + "' must be one line starting with 'deb ' or 'deb-src '");
            }
            aptExtraLines.add(line);
            return this;
        }

        /** The settings. */
        public NodeSetup build() {
            return new NodeSetup(packages, installRecommends, bootInterface, configfs, user, userPassword, rootPassword,
                    serialConsole, aptSourceLines, aptExtraLines);
        }
    }
}
