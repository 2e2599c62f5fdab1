package io.netboot4j.nfsroot;

import io.netboot4j.core.ClusterExtension;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nfs-ganesha File System Abstraction Layer the {@code nfs-ganesha} root export uses:
 * {@code VFS} (the default, a local folder) or another FSAL such as {@code CEPH}, with its
 * settings, rendered into the export's {@code FSAL { ... }} block.
 *
 * {@snippet :
 * Cluster.builder("kerrighed")
 *     // ...
 *     .rootExport("nfs-ganesha")
 *     .with(GaneshaFsal.of("CEPH", Map.of("User_Id", "\"admin\"", "Filesystem", "\"cephfs\"")))
 *     .build();
 * }
 *
 * @param name the FSAL name, for example {@code VFS}, {@code CEPH}, {@code GLUSTER}
 * @param options further settings as ganesha.conf writes them ({@code key = value;})
 */
public record GaneshaFsal(String name, Map<String, String> options) implements ClusterExtension {

    /**
     * @throws IllegalArgumentException if the name is not a word or an option would break the file
     */
    public GaneshaFsal {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("FSAL name '" + name + "' must be a word such as VFS or CEPH");
        }
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        for (var e : options.entrySet()) {
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_]*") || e.getValue().matches(".*[;{}\\n].*")) {
                throw new IllegalArgumentException("FSAL option '" + e.getKey() + " = " + e.getValue()
                        + "' must be a word and a value without ';', braces or line breaks");
            }
        }
    }

    /** The VFS FSAL: a local folder (the default). */
    public static GaneshaFsal vfs() {
        return new GaneshaFsal("VFS", Map.of());
    }

    /** Another FSAL with its settings. */
    public static GaneshaFsal of(String name, Map<String, String> options) {
        return new GaneshaFsal(name, options);
    }

    @Override
    public String name() {
        return name;
    }
}
