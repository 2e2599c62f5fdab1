package io.netboot4j.http.internal;

import io.netboot4j.boot.BootFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One boot-tree file opened for one response: its size and validators, and its content
 * either in memory (generated files) or as an open {@link FileChannel} (files on disk, sent
 * with {@link FileChannel#transferTo}: {@code sendfile(2)}, no copy through the heap).
 *
 * @param name its name in the tree
 * @param size its size in bytes
 * @param lastModified its modification time, whole seconds (HTTP dates have no fraction)
 * @param etag a strong entity tag, quoted: for files on disk the modification time and size
 *        in hexadecimal (nginx's form), for generated ones a CRC-32C of the content
 * @param bytes the content of a generated file, or null
 * @param channel the open file on disk, or null
 */
public record ServedFile(String name, long size, Instant lastModified, String etag, byte[] bytes, FileChannel channel)
        implements Closeable {

    /** A generated file: its bytes, modified when the server started. */
    public static ServedFile of(String name, byte[] content, Instant started) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return new ServedFile(name, content.length, started.truncatedTo(ChronoUnit.SECONDS),
                "\"g" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(content.length) + "\"", content, null);
    }

    /**
     * Opens a file of the tree for one response.
     *
     * @return empty if it is on disk and not a regular file there (missing, a folder)
     * @throws IOException if it exists but cannot be opened
     */
    public static Optional<ServedFile> open(BootFile file, Instant started) throws IOException {
        return switch (file) {
            case BootFile.Generated g -> Optional.of(of(g.name(), g.bytes(), started));
            case BootFile.OnDisk d -> openDisk(d.name(), d.path());
        };
    }

    private static Optional<ServedFile> openDisk(String name, Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        if (!a.isRegularFile()) {
            return Optional.empty();
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            Instant modified = Files.getLastModifiedTime(path).toInstant().truncatedTo(ChronoUnit.SECONDS);
            String etag = "\"" + Long.toHexString(modified.getEpochSecond()) + "-" + Long.toHexString(size) + "\"";
            return Optional.of(new ServedFile(name, size, modified, etag, null, ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The media type: UTF-8 text for generated files (scripts, configurations), octets for files on disk. */
    public String contentType() {
        if (bytes != null) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
