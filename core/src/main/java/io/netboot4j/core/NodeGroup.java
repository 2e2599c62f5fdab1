package io.netboot4j.core;

/**
 * A named kind of node with a boot profile of its own, as Warewulf's profiles: its kernel,
 * initrd, kernel arguments, UEFI chain and, if it has one, its own root filesystem. A
 * cluster boots several kinds of nodes from one head: a node names its group
 * ({@link ClusterBuilder#nodeGroup(String, String)}), the boot tree serves the group's
 * kernel and initrd from a folder named after the group, and its nodes mount the group's
 * root ({@link Cluster#rootFilesystem(Node)}). Made by
 * {@link ClusterBuilder#group(String, java.util.function.Consumer)}, which starts from the
 * cluster's boot profile, and {@link ClusterBuilder#groupRoot(String, java.util.function.Consumer)}.
 *
 * @param name the group's name: an RFC 1123 label, also its folder in the boot tree
 * @param boot what the group's nodes boot; the boot file names DHCP gives
 *     ({@link BootProfile#biosBootFile()}, {@link BootProfile#ipxeBootFile()}) are the cluster's
 * @param rootFilesystem the root the group's nodes mount, if not the cluster's
 */
public record NodeGroup(String name, BootProfile boot, java.util.Optional<RootFilesystem> rootFilesystem) {

    /** @throws IllegalArgumentException if the name is not an RFC 1123 label or the profile or root is null */
    public NodeGroup {
        requireName(name);
        if (boot == null || rootFilesystem == null) {
            throw new IllegalArgumentException("group " + name + " needs a boot profile and a root filesystem (or none)");
        }
    }

    /** A group whose nodes mount the cluster's root filesystem. */
    public NodeGroup(String name, BootProfile boot) {
        this(name, boot, java.util.Optional.empty());
    }

    /**
     * Checks a group name.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    static String requireName(String name) {
        if (name == null || !Hostname.isValid(name) || name.contains(".")) {
            throw new IllegalArgumentException("group name '" + name + "' must be one RFC 1123 label (letters, digits, hyphens)");
        }
        return name;
    }

    /** The folder of the group's kernel and initrd in the boot tree, with a trailing slash. */
    public String folder() {
        return name + "/";
    }
}
