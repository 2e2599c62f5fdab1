package io.netboot4j.tftp;

import io.netboot4j.boot.BootFile;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.tftp.internal.FolderSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a TFTP server finds the files it serves: a folder, generated content, or both.
 *
 * <p>The server has already checked the requested name before asking: it is relative,
 * uses {@code /} as separator, has no empty, {@code .} or {@code ..} component, and no
 * control character. A source that finds the name but must refuse it (a symbolic link
 * leading out of its folder, say) throws {@link java.nio.file.AccessDeniedException}, which
 * the client sees as "access violation".
 *
 * {@snippet :
 * TftpSource source = TftpSource.of(Map.of("hello.txt", "hello\n".getBytes()))
 *         .orElse(TftpSource.folder(Path.of("/srv/tftp")));
 * }
 */
@FunctionalInterface
public interface TftpSource {

    /**
     * Opens {@code name} for one transfer.
     *
     * @param name a checked relative name such as {@code pxelinux.cfg/default}
     * @return the file, or empty if there is none by that name
     * @throws java.nio.file.AccessDeniedException if the file exists but must not be served
     * @throws IOException if it cannot be read
     */
    Optional<TftpFile> open(String name) throws IOException;

    /**
     * The files below {@code root}, confined to it as {@code tftpd-hpa -s} confines: a symbolic
     * link whose target lies outside {@code root}, and anything that is not a regular file,
     * is refused.
     *
     * @param root an existing folder
     */
    static TftpSource folder(Path root) {
        return new FolderSource(root);
    }

    /**
     * Generated files served from memory, by name.
     *
     * @param files content by checked relative name (copied map; arrays are not copied)
     */
    static TftpSource of(Map<String, byte[]> files) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return name -> Optional.ofNullable(copy.get(name)).map(TftpFile::of);
    }

    /**
     * A cluster's boot tree: generated files from memory, the others read from their paths
     * when asked (a missing one is "file not found").
     */
    static TftpSource of(PxeBootTree tree) {
        return name -> switch (tree.file(name).orElse(null)) {
            case null -> Optional.empty();
            case BootFile.Generated g -> Optional.of(TftpFile.of(g.bytes()));
            case BootFile.OnDisk d -> Files.isRegularFile(d.path()) ? Optional.of(TftpFile.open(d.path())) : Optional.empty();
        };
    }

    /** This source, and where it has no file by a name, {@code next}. */
    default TftpSource orElse(TftpSource next) {
        return name -> {
            Optional<TftpFile> found = open(name);
            return found.isPresent() ? found : next.open(name);
        };
    }
}
