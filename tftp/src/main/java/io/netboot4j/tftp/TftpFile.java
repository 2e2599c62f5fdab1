package io.netboot4j.tftp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file being served: read once, front to back, by one transfer.
 *
 * <p>Files on disk are read through a {@link FileChannel} a block at a time, so a large
 * initrd never sits whole in the heap; generated files are served from a byte array.
 */
public interface TftpFile extends Closeable {

    /** The size in bytes, or -1 if unknown (then {@code tsize} is not answered). */
    long size();

    /**
     * Reads the next bytes into {@code into}, filling it as far as the file allows.
     *
     * @return the number of bytes read, or -1 at the end of the file
     * @throws IOException if reading fails
     */
    int read(ByteBuffer into) throws IOException;

    /** Frees the file's resources; idempotent. */
    @Override
    void close() throws IOException;

    /**
     * A file served from memory.
     *
     * @param content the bytes (not copied: do not change them while served)
     */
    static TftpFile of(byte[] content) {
        return new TftpFile() {
            private int position;

            @Override
            public long size() {
                return content.length;
            }

            @Override
            public int read(ByteBuffer into) {
                if (position >= content.length) {
                    return -1;
                }
                int n = Math.min(into.remaining(), content.length - position);
                into.put(content, position, n);
                position += n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A regular file on disk, opened for reading.
     *
     * @throws IOException if it cannot be opened
     */
    static TftpFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new TftpFile() {
            // read ahead in 32 KiB pieces: one system call per many small blocks
            private final ByteBuffer ahead = ByteBuffer.allocate(32 * 1024).flip();
            private boolean eof;

            @Override
            public long size() {
                return size;
            }

            @Override
            public int read(ByteBuffer into) throws IOException {
                int total = 0;
                while (into.hasRemaining()) {
                    if (ahead.hasRemaining()) {
                        int n = Math.min(ahead.remaining(), into.remaining());
                        into.put(into.position(), ahead, ahead.position(), n);
                        into.position(into.position() + n);
                        ahead.position(ahead.position() + n);
                        total += n;
                        continue;
                    }
                    if (eof) {
                        break;
                    }
                    if (into.remaining() >= ahead.capacity()) {
                        int n = ch.read(into);
                        if (n < 0) {
                            eof = true;
                        } else {
                            total += n;
                        }
                        continue;
                    }
                    ahead.clear();
                    int n = ch.read(ahead);
                    ahead.flip();
                    if (n < 0) {
                        eof = true;
                    }
                }
                return total == 0 && eof ? -1 : total;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
