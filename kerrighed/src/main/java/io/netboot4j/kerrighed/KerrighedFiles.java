package io.netboot4j.kerrighed;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files the guide edits for Kerrighed (sections 2.1 and 2.2), rendered from a cluster
 * with the {@link Kerrighed} extension. Every method but {@link #install(Path, Cluster)}
 * is a pure function of its arguments.
 */
public final class KerrighedFiles {

    /** Where Kerrighed reads its session and {@code nbmin}, inside the nodes' root. */
    public static final String NODES_FILE = "/etc/kerrighed_nodes";
    /** The Kerrighed service's settings file, inside the nodes' root. */
    public static final String DEFAULT_FILE = "/etc/default/kerrighed";
    /** Where configfs is mounted (the guide's {@code mkdir /config}). */
    public static final String CONFIG_MOUNT_POINT = "/config";
    /** The guide's {@code /etc/fstab} line for configfs, spacing included. */
    public static final String FSTAB_CONFIGFS_LINE = "configfs        /config         configfs        defaults        0 0";

    private static final Pattern ENABLE_LINE = Pattern.compile("(?m)^[ \t]*ENABLE[ \t]*=.*$");

    private KerrighedFiles() {
    }

    /**
     * The cluster's Kerrighed extension.
     *
     * @throws IllegalArgumentException if the cluster has none
     */
    public static Kerrighed kerrighed(Cluster cluster) {
        return cluster.extension(Kerrighed.class).orElseThrow(() -> new IllegalArgumentException(
                "cluster '" + cluster.name() + "' has no Kerrighed settings: add .with(Kerrighed.session(1)) to its builder"));
    }

    /**
     * {@value #NODES_FILE}: {@code session=} and {@code nbmin=} (the node count unless set).
     * The guide puts its comments after the values ({@code session=1  #Value can be 1 - 254});
     * here they stand on their own lines, so that no reader of the file has to strip them.
     *
     * @throws IllegalArgumentException if the cluster has no Kerrighed settings
     */
    public static String nodesFile(Cluster cluster) {
        Kerrighed k = kerrighed(cluster);
        return "# " + NODES_FILE + " #\n"
                + "# Session id of the cluster: can be 1 - 254\n"
                + "session=" + k.sessionId() + "\n"
                + "# Number of nodes which load before kerrighed autostarts\n"
                + "nbmin=" + k.minimumNodes(cluster) + "\n";
    }

    /**
     * {@value #DEFAULT_FILE} with module loading enabled, as the guide asks it to contain.
     * Kerrighed's init script sources this file and starts only when {@code ENABLE} is
     * {@code true}.
     */
    public static String defaultFile() {
        return "# " + DEFAULT_FILE + " #\n"
                + "# If true, enable Kerrighed module loading\n"
                + "ENABLE=true\n";
    }

    /**
     * An existing {@value #DEFAULT_FILE} (as {@code make install} ships it) with every
     * {@code ENABLE=} line set to {@code true}, or with the guide's two lines appended if
     * it has none. Other settings are kept.
     */
    public static String defaultFileEnabled(String existing) {
        if (existing == null || existing.isBlank()) {
            return defaultFile();
        }
        if (ENABLE_LINE.matcher(existing).find()) {
            return ENABLE_LINE.matcher(existing).replaceAll("ENABLE=true");
        }
        String base = existing.endsWith("\n") ? existing : existing + "\n";
        return base + "# If true, enable Kerrighed module loading\nENABLE=true\n";
    }

    /**
     * {@code fstab} with the guide's configfs line added, unless a line already mounts
     * something of type configfs.
     */
    public static String fstabWithConfigfs(String fstab) {
        String text = fstab == null ? "" : fstab;
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (!line.strip().startsWith("#") && f.length >= 3 && f[2].equals("configfs")) {
                return text;
            }
        }
        String base = text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        return base + FSTAB_CONFIGFS_LINE + "\n";
    }

    /**
     * The answer {@code krgadm nodes} gives when every node of the cluster is up, the
     * guide's {@code 101:1 102:1 103:1 104:1 105:1 106:1}: {@code node_id:session} by
     * ascending node id, separated by spaces.
     */
    public static String expectedNodesAnswer(Cluster cluster) {
        List<String> parts = new ArrayList<>();
        for (KrgNode n : expectedNodes(cluster)) {
            parts.add(n.toString());
        }
        return String.join(" ", parts);
    }

    /** The {@code krgadm nodes} entries of every node of the cluster, by ascending node id. */
    public static List<KrgNode> expectedNodes(Cluster cluster) {
        Kerrighed k = kerrighed(cluster);
        return cluster.nodes().stream().map(n -> new KrgNode(Kerrighed.nodeId(n), k.sessionId())).sorted().toList();
    }

    /**
     * Writes the Kerrighed files into a nodes' root filesystem: {@value #NODES_FILE},
     * {@value #DEFAULT_FILE} with {@code ENABLE=true} (other settings of an existing file
     * are kept), the {@value #CONFIG_MOUNT_POINT} folder and the configfs line of
     * {@code /etc/fstab}. Each file is written atomically; running it twice changes nothing.
     *
     * @param root the root filesystem on this host, for example {@code /nfsroot/kerrighed}
     * @param cluster a cluster with Kerrighed settings
     * @throws IOException if a file cannot be written
     */
    public static void install(Path root, Cluster cluster) throws IOException {
        AtomicFiles.writeString(inside(root, NODES_FILE), nodesFile(cluster));
        Path defaults = inside(root, DEFAULT_FILE);
        String existing = Files.exists(defaults) ? Files.readString(defaults, StandardCharsets.UTF_8) : "";
        String enabled = defaultFileEnabled(existing);
        if (!enabled.equals(existing)) {
            AtomicFiles.writeString(defaults, enabled);
        }
        Files.createDirectories(inside(root, CONFIG_MOUNT_POINT));
        Path fstab = inside(root, "/etc/fstab");
        String table = Files.exists(fstab) ? Files.readString(fstab, StandardCharsets.UTF_8) : "";
        String withConfigfs = fstabWithConfigfs(table);
        if (!withConfigfs.equals(table)) {
            AtomicFiles.writeString(fstab, withConfigfs);
        }
    }

    /** {@code guestPath} (absolute, as seen by the nodes) inside {@code root} on this host. */
    static Path inside(Path root, String guestPath) {
        return root.resolve(guestPath.replaceFirst("^/+", ""));
    }
}
