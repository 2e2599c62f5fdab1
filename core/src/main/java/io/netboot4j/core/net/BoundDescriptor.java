package io.netboot4j.core.net;

import io.netboot4j.core.internal.LinuxSyscalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The socket descriptor under {@link InterfaceSocket} and {@link Icmpv6Socket}: a socket bound
 * to one interface, received from with a 250 ms timeout into a native buffer by one thread,
 * sent on by any, and closed once (which wakes the receiver).
 */
final class BoundDescriptor {

    /** Reads the sender's address out of a {@code sockaddr} the kernel filled in. */
    @FunctionalInterface
    interface Sender<A> {
        A read(MemorySegment sockaddr) throws IOException;
    }

    private final int fd;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    private final MemorySegment from;

    /**
     * @param fd the open, bound socket (owned from now on)
     * @param what the socket in messages, for example {@code socket on eth0}
     * @param maxMessage the largest message received whole
     * @param sockaddrSize the size of the sender's {@code sockaddr}
     */
    BoundDescriptor(int fd, String what, int maxMessage, long sockaddrSize) {
        this.fd = fd;
        this.what = what;
        this.receiveBuffer = arena.allocate(maxMessage);
        this.from = arena.allocate(sockaddrSize, 4);
    }

    int fd() throws IOException {
        requireOpen();
        return fd;
    }

    /**
     * Waits up to about 250 ms for one message and copies it into {@code into} (truncated to
     * its remaining space).
     *
     * @return its sender, or {@code null} if nothing arrived in time or the socket closed
     */
    synchronized <A> A receive(ByteBuffer into, Sender<A> sender) throws IOException {
        if (closed.get()) {
            return null;
        }
        long n;
        try {
            n = LinuxSyscalls.recvfrom(fd, receiveBuffer, from);
        } catch (IOException e) {
            if (closed.get()) {
                return null;
            }
            throw e;
        }
        if (n < 0 || closed.get()) {
            return null;
        }
        int len = (int) Math.min(n, into.remaining());
        into.put(receiveBuffer.asSlice(0, len).asByteBuffer());
        return sender.read(from);
    }

    /** Sends the remaining bytes of {@code data} to the {@code sockaddr} that {@code to} writes. */
    void send(ByteBuffer data, Function<Arena, MemorySegment> to) throws IOException {
        requireOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment seg = a.allocate(Math.max(1, data.remaining()));
            seg.asByteBuffer().put(data.duplicate());
            LinuxSyscalls.sendto(fd, seg, data.remaining(), to.apply(a));
            data.position(data.limit());
        }
    }

    private void requireOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(what + " is closed");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the socket; wakes a blocked {@link #receive}. Idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            LinuxSyscalls.shutdownAndClose(fd);
            synchronized (this) {
                arena.close();
            }
        }
    }
}
