package io.netboot4j.nfsroot.rootfs;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.RootBuild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code existing} root build: takes the cluster's root folder as it is, and only checks
 * that it exists and looks like a root filesystem ({@code /etc}, a shell, an os-release file).
 */
public final class ExistingRoot implements RootBuild {

    /** The name the check reports progress under. */
    public static final String STEP = "existing";

    private final Path root;

    private ExistingRoot(Path root) {
        this.root = root;
    }

    /**
     * A check of the tree at {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is null
     */
    public static ExistingRoot at(Path root) {
        if (root == null) {
            throw new IllegalArgumentException("root folder must not be null");
        }
        return new ExistingRoot(root.toAbsolutePath());
    }

    /** The checked folder. */
    public Path root() {
        return root;
    }

    /**
     * Checks the folder.
     *
     * @throws RootBuildException listing what is missing
     */
    @Override
    public void build(BuildListener listener) throws RootBuildException {
        List<String> missing = problems(root);
        if (!missing.isEmpty()) {
            throw new RootBuildException(STEP, root, new IOException(String.join("; ", missing)
                    + ": build one with the debootstrap root build or point the cluster at an existing root"));
        }
        listener.progress(STEP, 1, 1, root + " looks like a root filesystem");
    }

    /** What keeps {@code root} from looking like a root filesystem; empty if it does. */
    public static List<String> problems(Path root) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            out.add(root + " is not a folder");
            return out;
        }
        if (!Files.isDirectory(root.resolve("etc"))) {
            out.add(root + " has no /etc");
        }
        if (!Files.exists(root.resolve("bin/sh")) && !Files.exists(root.resolve("usr/bin/sh"))) {
            out.add(root + " has no /bin/sh");
        }
        if (!Files.exists(root.resolve("etc/os-release")) && !Files.exists(root.resolve("usr/lib/os-release"))
                && !Files.exists(root.resolve("etc/debian_version"))) {
            out.add(root + " has no /etc/os-release");
        }
        return out;
    }
}
