package io.netboot4j.tftp.internal;

import io.netboot4j.tftp.TftpFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * RFC 1350 netascii on the fly: LF becomes CR LF, a bare CR becomes CR NUL (RFC 764). Reads
 * the underlying file a chunk at a time. Its size is unknown (-1): the converted length is
 * not known in advance, so {@code tsize} is not answered in netascii mode, as tftpd-hpa does.
 */
public final class NetasciiFile implements TftpFile {

    private final TftpFile raw;
    private final ByteBuffer chunk = ByteBuffer.allocate(8192).flip();
    private int pending = -1;
    private boolean eof;

    /** @param raw the file to convert */
    public NetasciiFile(TftpFile raw) {
        this.raw = raw;
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int start = into.position();
        while (into.hasRemaining()) {
            if (pending >= 0) {
                into.put((byte) pending);
                pending = -1;
                continue;
            }
            if (!chunk.hasRemaining()) {
                if (eof) {
                    break;
                }
                chunk.clear();
                int n = raw.read(chunk);
                chunk.flip();
                if (n < 0) {
                    eof = true;
                    break;
                }
                continue;
            }
            byte b = chunk.get();
            if (b == '\n') {
                into.put((byte) '\r');
                pending = '\n';
            } else if (b == '\r') {
                into.put((byte) '\r');
                pending = 0;
            } else {
                into.put(b);
            }
        }
        int n = into.position() - start;
        return n == 0 && eof && pending < 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    /** Converts a whole byte array (for tests and small files). */
    public static byte[] encode(byte[] raw) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (NetasciiFile f = new NetasciiFile(TftpFile.of(raw))) {
            ByteBuffer buf = ByteBuffer.allocate(1000);
            while (f.read(buf.clear()) >= 0) {
                out.write(buf.array(), 0, buf.position());
            }
        }
        return out.toByteArray();
    }
}
