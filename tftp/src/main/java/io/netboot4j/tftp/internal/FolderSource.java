package io.netboot4j.tftp.internal;

import io.netboot4j.tftp.TftpFile;
import io.netboot4j.tftp.TftpSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The files below one folder, confined to it. */
public final class FolderSource implements TftpSource {

    private final Path root;

    /** @param root the folder; it need not exist yet */
    public FolderSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Optional<TftpFile> open(String name) throws IOException {
        Path candidate = root.resolve(name).normalize();
        if (!candidate.startsWith(root)) {
            throw new AccessDeniedException(name, null, "outside the TFTP root");
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            // a dangling symbolic link: it names nothing we may serve
            throw new AccessDeniedException(name, null, "a symbolic link to nothing");
        }
        if (!real.startsWith(root.toRealPath())) {
            throw new AccessDeniedException(name, null, "a symbolic link leading outside the TFTP root");
        }
        if (!Files.isRegularFile(real)) {
            throw new AccessDeniedException(name, null, "not a regular file");
        }
        if (!Files.isReadable(real)) {
            throw new AccessDeniedException(name, null, "not readable");
        }
        return Optional.of(TftpFile.open(real));
    }

    @Override
    public String toString() {
        return "folder " + root;
    }
}
