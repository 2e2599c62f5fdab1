package io.netboot4j.nfsroot.internal;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.memory.MemoryProbe;
import org.glassfish.grizzly.memory.PooledMemoryManager;
import org.glassfish.grizzly.monitoring.MonitoringConfig;

/**
 * The Grizzly memory of the embedded server's transports: what the sockets deliver in
 * pieces of up to 64 KiB (calls, and the replies encoded into them) comes from a pool of
 * direct buffers, larger pieces (the data of a WRITE) from a pool of heap buffers. Both
 * pools fill on demand.
 *
 * <p>Why two: oncrpc4j slices each call out of what Grizzly read and never disposes the
 * parent, so the pooled buffers of a call are not returned and the pool allocates anew.
 * A leaked heap buffer is young garbage; a leaked direct buffer is a fresh allocation
 * with zeroed, newly faulted pages (1 MiB per WRITE). Small calls stay direct because the
 * reply is encoded into them: a heap reply header makes Grizzly copy the whole reply, file
 * data included, through a direct buffer it allocates per (virtual) thread.
 */
final class SplitMemory implements MemoryManager<Buffer> {

    /** Pieces up to this size are direct. */
    static final int DIRECT_UP_TO = 64 * 1024;

    private final PooledMemoryManager direct;
    private final PooledMemoryManager heap;

    SplitMemory() {
        int slices = Math.max(2, Runtime.getRuntime().availableProcessors());
        // 4, 16 and 64 KiB buffers; at most 3 % of the maximum heap each; nothing preallocated.
        direct = new PooledMemoryManager(4096, 3, 2, slices, 0.03f, 0.0f, true);
        heap = new PooledMemoryManager(4096, 3, 2, slices, 0.03f, 0.0f, false);
    }

    private PooledMemoryManager forSize(int size) {
        return size <= DIRECT_UP_TO ? direct : heap;
    }

    private PooledMemoryManager owner(Buffer b) {
        return b.isDirect() ? direct : heap;
    }

    @Override
    public Buffer allocate(int size) {
        return forSize(size).allocate(size);
    }

    @Override
    public Buffer allocateAtLeast(int size) {
        return forSize(size).allocateAtLeast(size);
    }

    @Override
    public Buffer reallocate(Buffer oldBuffer, int newSize) {
        return owner(oldBuffer).reallocate(oldBuffer, newSize);
    }

    @Override
    public void release(Buffer buffer) {
        owner(buffer).release(buffer);
    }

    @Override
    public boolean willAllocateDirect(int size) {
        return false;
    }

    @Override
    public MonitoringConfig<MemoryProbe> getMonitoringConfig() {
        return direct.getMonitoringConfig();
    }
}
