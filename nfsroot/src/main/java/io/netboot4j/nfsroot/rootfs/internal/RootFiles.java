package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Hostname;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import io.netboot4j.nfsroot.rootfs.NodeSetup;
import io.netboot4j.nfsroot.rootfs.Password;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files the guide edits inside the root, as pure functions of the settings and the
 * cluster: one renderer per file, each tested against the guide's text.
 */
public final class RootFiles {

    /** Debian releases whose security suite is {@code <suite>/updates} (before bullseye). */
    private static final Set<String> OLD_DEBIAN_SECURITY = Set.of("squeeze", "wheezy", "jessie", "stretch", "buster");
    /** Suites without {@code -updates} and {@code -security}. */
    private static final Set<String> ROLLING = Set.of("sid", "unstable", "experimental", "rc-buggy");

    private RootFiles() {
    }

    /**
     * {@code /etc/apt/sources.list}: the guide's list as a template for the chosen suite: the
     * suite, its security updates and its updates, in the chosen components; {@code deb-src}
     * lines and extra lines (the guide's partner archive) when asked.
     */
    public static String aptSources(Debootstrap d, NodeSetup setup) {
        String comps = String.join(" ", d.components());
        String suite = d.suite();
        List<String> lines = new ArrayList<>();
        for (String extra : setup.aptExtraLines()) {
            lines.add(extra.replace("{suite}", suite));
        }
        List<String> kinds = setup.aptSourceLines() ? List.of("deb", "deb-src") : List.of("deb");
        for (String kind : kinds) {
            lines.add(kind + " " + d.mirror() + " " + suite + " " + comps);
            if (!ROLLING.contains(suite)) {
                String security = !d.isUbuntu() && OLD_DEBIAN_SECURITY.contains(suite) ? suite + "/updates" : suite + "-security";
                lines.add(kind + " " + d.securityMirror() + " " + security + " " + comps);
                lines.add(kind + " " + d.mirror() + " " + suite + "-updates " + comps);
            }
        }
        return "# /etc/apt/sources.list of the nodes, written by netboot4j (step apt-sources)\n" + String.join("\n", lines) + "\n";
    }

    /**
     * {@code /etc/fstab}: the guide's {@code proc} and {@code /dev/nfs} lines, and for a
     * Kerrighed cluster its {@code configfs} line (guide part 2.1) with {@code nofail} added,
     * so that the same root still boots a kernel without configfs.
     */
    public static String fstab(boolean configfs) {
        StringBuilder s = new StringBuilder();
        s.append("# /etc/fstab of the nodes, written by netboot4j (step fstab): the root is mounted over NFS by the kernel\n");
        s.append("# <file system> <mount point>   <type>    <options>  <dump> <pass>\n");
        s.append("proc            /proc           proc      defaults   0      0\n");
        s.append("/dev/nfs        /               nfs       defaults   0      0\n");
        if (configfs) {
            // nofail: a kernel without configfs (Debian's stock kernel, guide part 1.5) still boots;
            // without it systemd stops in emergency mode when the mount fails.
            s.append("configfs        /config         configfs  defaults,nofail 0   0\n");
        }
        return s.toString();
    }

    /**
     * {@code /etc/hosts}: localhost, the server and every node (guide part 1.4), each with its
     * name in the cluster's domain first when the cluster has one, and the usual IPv6 lines.
     */
    public static String hosts(Cluster cluster) {
        StringBuilder s = new StringBuilder();
        s.append("# /etc/hosts of the nodes, written by netboot4j (step hosts) for cluster ").append(cluster.name()).append('\n');
        s.append("127.0.0.1\tlocalhost\n");
        String domain = cluster.network().domain();
        s.append(Ipv4.format(cluster.network().server())).append('\t').append(names(cluster.network().serverName(), domain)).append('\n');
        for (Node n : cluster.nodes()) {
            s.append(Ipv4.format(n.address())).append('\t').append(names(n.name(), domain)).append('\n');
        }
        s.append("\n# IPv6\n");
        s.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        s.append("ff02::1\tip6-allnodes\n");
        s.append("ff02::2\tip6-allrouters\n");
        return s.toString();
    }

    private static String names(Hostname name, String domain) {
        String shortName = name.shortName();
        if (!name.value().equals(shortName)) {
            return name.value() + " " + shortName;
        }
        return domain.isEmpty() ? shortName : shortName + "." + domain + " " + shortName;
    }

    /**
     * {@code /etc/network/interfaces}: the loopback and the boot interface as {@code manual}
     * (guide part 1.4), so that nothing reconfigures the card that carries the root.
     */
    public static String interfaces(String bootInterface) {
        return "# /etc/network/interfaces of the nodes, written by netboot4j (step network-interfaces)\n"
                + "source /etc/network/interfaces.d/*\n"
                + "\n"
                + "# The loopback interface:\n"
                + "auto lo\n"
                + "iface lo inet loopback\n"
                + "\n"
                + "# The boot interface carries the NFS root; the kernel configured it (ip=dhcp), so it is manual:\n"
                + "iface " + bootInterface + " inet manual\n";
    }

    /** {@code /etc/sudoers.d/netboot4j}: the guide's user privilege line for {@code user}. */
    public static String sudoers(String user) {
        return "# written by netboot4j (step users): the guide's user privilege specification\n"
                + user + " ALL=(ALL) ALL\n";
    }

    /** The {@code /etc/inittab} line that gives {@code tty} a login prompt on sysvinit releases. */
    public static String inittabSerialLine(String tty) {
        String id = "T" + tty.replaceAll("[^0-9]", "");
        id = id.length() > 4 ? id.substring(0, 4) : id;
        return id + ":23:respawn:/sbin/getty -L " + tty + " 115200 vt100";
    }

    /** Whether {@code /etc/passwd} text has a line for {@code user}. */
    public static boolean hasUser(String passwd, String user) {
        return passwd.lines().anyMatch(l -> l.startsWith(user + ":"));
    }

    /** The numeric id of {@code name} in {@code /etc/group} text, or -1. */
    public static int groupId(String group, String name) {
        return group.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.split(":", -1))
                .filter(f -> f.length >= 3 && f[2].matches("\\d+")).mapToInt(f -> Integer.parseInt(f[2])).findFirst().orElse(-1);
    }

    /**
     * {@code /etc/shadow} with the password fields of {@code passwords} set: a field that
     * already stands for the password is kept (so re-runs change nothing); a changed field
     * also sets the last-change day.
     *
     * @param shadow the current text
     * @param passwords password per user
     * @param today days since 1970-01-01
     * @param random salt source for clear passwords
     * @throws IllegalArgumentException naming a user that has no line
     */
    public static String shadow(String shadow, Map<String, Password> passwords, long today, SecureRandom random) {
        Map<String, Password> left = new LinkedHashMap<>(passwords);
        StringBuilder out = new StringBuilder();
        for (String line : shadow.split("\n", -1)) {
            String[] f = line.split(":", -1);
            Password p = f.length >= 3 ? left.remove(f[0]) : null;
            if (p != null && !p.matches(f[1])) {
                f[1] = p.hash(random);
                f[2] = Long.toString(today);
                line = String.join(":", f);
            }
            out.append(line).append('\n');
        }
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("/etc/shadow has no line for " + String.join(", ", left.keySet()));
        }
        out.setLength(out.length() - 1); // the split kept the text's own last line break as an empty last element
        return out.toString();
    }
}
