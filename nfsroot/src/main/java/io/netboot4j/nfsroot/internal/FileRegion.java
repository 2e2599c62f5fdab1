package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * A READ reply's data as a range of an open file, written to a TCP connection by
 * {@code sendfile} ({@link FileChannel#transferTo}): the page cache's pages go to the
 * socket without passing through a buffer of the server's. The length is fixed when the
 * reply is encoded; if the socket cannot take more without waiting (a socket a virtual
 * thread made non-blocking returns at once from {@code sendfile}) the rest is read into a
 * pooled buffer and written, which waits properly; if the file has become shorter, the rest
 * is sent as zeros, so the record keeps the length its header announced.
 *
 * @param channel the file, open for reading
 * @param position where the data starts in the file
 * @param count how many bytes the reply announced
 */
record FileRegion(FileChannel channel, long position, int count) {

    /** Bytes sent by {@code sendfile}, and through a buffer (for tests and diagnostics). */
    static final LongAdder SENT_FROM_FILE = new LongAdder(), SENT_BUFFERED = new LongAdder();

    /** Writes the region and its XDR padding to {@code socket}. */
    void writeTo(WritableByteChannel socket) throws IOException {
        long pos = position;
        long left = count;
        while (left > 0) {
            long n = channel.transferTo(pos, left, socket);
            if (n <= 0) {
                break;
            }
            pos += n;
            left -= n;
        }
        SENT_FROM_FILE.add(count - left);
        SENT_BUFFERED.add(left);
        ByteBuffer b = null;
        try {
            while (left > 0) {
                if (b == null) {
                    b = DirectBuffers.take();
                }
                b.clear().limit((int) Math.min(left, b.capacity()));
                int r = channel.read(b, pos);
                if (r <= 0) {
                    while (b.hasRemaining()) {
                        b.put((byte) 0); // the file was truncated meanwhile
                    }
                }
                b.flip();
                pos += b.remaining();
                left -= b.remaining();
                while (b.hasRemaining()) {
                    socket.write(b);
                }
            }
            int pad = -count & 3;
            if (pad > 0) {
                ByteBuffer zeros = ByteBuffer.allocate(pad);
                while (zeros.hasRemaining()) {
                    socket.write(zeros);
                }
            }
        } finally {
            DirectBuffers.release(b);
        }
    }

    /** The data read into an array (for a datagram or a cached reply). */
    byte[] read() throws IOException {
        byte[] data = new byte[count];
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) <= 0) {
                break; // truncated meanwhile: zeros
            }
        }
        return data;
    }
}
