package io.netboot4j.core;

import java.nio.file.Path;
import java.util.List;

/**
 * The shared root filesystem the nodes mount over NFS (the guide's {@code /nfsroot/kerrighed}).
 *
 * @param path the folder on the head, absolute
 * @param readWrite whether nodes mount it read-write (the guide: yes)
 * @param exportOptions export options in {@code /etc/exports} syntax besides {@code rw}/{@code ro};
 *     default {@code no_root_squash, no_subtree_check} (the guide exports with root not squashed)
 * @param mountOptions options the nodes' kernels mount with, appended to {@code nfsroot=};
 *     default {@code vers=3, tcp}
 */
public record RootFilesystem(Path path, boolean readWrite, List<String> exportOptions, List<String> mountOptions) {

    /** Export options {@link ClusterBuilder} accepts. */
    public static final List<String> KNOWN_EXPORT_OPTIONS = List.of(
            "root_squash", "no_root_squash", "all_squash", "no_all_squash", "anonuid", "anongid",
            "secure", "insecure", "sync", "async", "subtree_check", "no_subtree_check", "wdelay", "no_wdelay");

    /** Copies the lists. */
    public RootFilesystem {
        exportOptions = List.copyOf(exportOptions);
        mountOptions = List.copyOf(mountOptions);
    }

    /** The export options including {@code rw} or {@code ro} first, as {@code /etc/exports} writes them. */
    public List<String> allExportOptions() {
        var all = new java.util.ArrayList<String>();
        all.add(readWrite ? "rw" : "ro");
        all.addAll(exportOptions);
        return List.copyOf(all);
    }
}
