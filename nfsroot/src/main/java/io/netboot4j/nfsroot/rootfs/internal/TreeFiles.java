package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads and writes files inside a root filesystem tree. Paths are given as the nodes see
 * them ({@code /etc/fstab}); nothing is ever followed out of the tree, every write is atomic
 * (temporary file in the same folder, then an atomic rename), and a file whose content,
 * owner and mode are already right is left alone, so that re-running a step changes nothing.
 */
public final class TreeFiles {

    private final Path root;

    /** Files under {@code root} (an existing folder). */
    public TreeFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The tree's root folder. */
    public Path root() {
        return root;
    }

    /**
     * The host path of {@code inside}, a path as the nodes see it.
     *
     * @throws IllegalArgumentException if {@code inside} is not absolute or climbs out with {@code ..}
     */
    public Path resolve(String inside) {
        if (!inside.startsWith("/")) {
            throw new IllegalArgumentException("path inside the root must be absolute: " + inside);
        }
        Path p = root.resolve(inside.substring(1)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path climbs out of the root: " + inside);
        }
        return p;
    }

    /** The text of {@code inside}, if it exists as a regular file (not through a symbolic link). */
    public Optional<String> read(String inside) throws IOException {
        Path p = resolve(inside);
        checkParents(p);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    }

    /** Whether {@code inside} exists (without following a final symbolic link). */
    public boolean exists(String inside) {
        return Files.exists(resolve(inside), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Writes {@code text} to {@code inside} with the given owner and mode, atomically, unless
     * the file already has exactly that content, owner and mode.
     *
     * @param mode octal permission bits such as {@code 0644}
     * @return whether the file was (re)written
     */
    public boolean write(String inside, String text, int uid, int gid, int mode) throws IOException {
        Path p = resolve(inside);
        checkParents(p);
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(Files.readAllBytes(p), content)
                && owner(p, "uid") == uid && owner(p, "gid") == gid && mode(p) == mode) {
            return false;
        }
        AtomicFiles.write(p, content, permissions(mode), uid, gid);
        return true;
    }

    /**
     * Writes {@code text} to {@code inside}, keeping the owner and mode the file has (or
     * root-owned {@code 0644} if it does not exist yet).
     *
     * @return whether the file was (re)written
     */
    public boolean write(String inside, String text) throws IOException {
        Path p = resolve(inside);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return write(inside, text, owner(p, "uid"), owner(p, "gid"), mode(p));
        }
        return write(inside, text, 0, 0, 0644);
    }

    /**
     * Makes {@code inside} a symbolic link to {@code target} (text as stored in the link).
     *
     * @return whether the link was (re)made
     */
    public boolean symlink(String inside, String target) throws IOException {
        Path p = resolve(inside);
        checkParents(p);
        if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().equals(target)) {
            return false;
        }
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling("." + p.getFileName() + ".netboot4j-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.createSymbolicLink(tmp, Path.of(target));
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    /**
     * Makes the folder {@code inside} (and its parents) with the given mode, root-owned.
     *
     * @return whether it was made
     */
    public boolean folder(String inside, int mode) throws IOException {
        Path p = resolve(inside);
        checkParents(p);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(inside, null, "exists in the root and is not a folder");
        }
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, permissions(mode));
        return true;
    }

    /**
     * Deletes {@code inside} (a file or link, never a folder's content).
     *
     * @return whether something was deleted
     */
    public boolean delete(String inside) throws IOException {
        Path p = resolve(inside);
        checkParents(p);
        return Files.deleteIfExists(p);
    }

    /** The octal mode of a host path, not following a final link. */
    public static int mode(Path p) throws IOException {
        return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }

    /** {@code unix:uid} or {@code unix:gid} of a host path, not following a final link. */
    public static int owner(Path p, String which) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:" + which, LinkOption.NOFOLLOW_LINKS);
    }

    private void checkParents(Path p) throws IOException {
        Path parent = p.getParent();
        while (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && parent.startsWith(root)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            throw new NoSuchFileException(root.toString(), null, "root filesystem folder does not exist");
        }
        Path real = parent.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            throw new IOException("refusing to write " + p + ": its folder leads out of the root through a symbolic link to " + real);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }
}
