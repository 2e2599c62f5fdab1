package io.netboot4j.nfsroot.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A small pool of direct buffers large enough for one READ or WRITE (1 MiB and a header):
 * file data moves between the file and the network without per-call 1 MiB allocations
 * and without the JDK's copy through a temporary direct buffer.
 */
public final class DirectBuffers {

    /** Capacity of every buffer. */
    public static final int SIZE = Nfs3.MAX_IO + 64 * 1024;
    private static final int KEEP = 32;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();

    private DirectBuffers() {
    }

    /** A cleared buffer of {@link #SIZE} bytes. */
    public static ByteBuffer take() {
        ByteBuffer b = POOL.poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(SIZE);
        }
        b.clear();
        return b;
    }

    /** How many buffers wait in the pool (for tests). */
    static int pooled() {
        return POOL.size();
    }

    /** Gives a buffer from {@link #take()} back; others are ignored. */
    public static void release(ByteBuffer b) {
        if (b != null && b.isDirect() && b.capacity() == SIZE && POOL.size() < KEEP) {
            POOL.offer(b);
        }
    }
}
