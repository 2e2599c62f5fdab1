package io.netboot4j.http.internal;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the rest of file bodies whose socket buffer filled up: one platform thread and one
 * selector for many sockets, {@code sendfile} to each socket the selector reports writable —
 * nginx's worker loop. A connection's virtual thread sends what fits at once itself, then
 * hands the rest here and waits; so a socket that drains costs one {@code sendfile} in a
 * batch of ready sockets instead of waking a virtual thread (poller, scheduler, carrier) and
 * a parking write per refill.
 */
final class SendLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SendLoop.class);
    /** The most bytes one {@code sendfile} call is asked for, so one socket does not hold the loop. */
    private static final long CHUNK = 1 << 20;

    /** One body under way. */
    static final class Job {
        final SocketChannel socket;
        final FileChannel file;
        final HttpConnection connection;
        long position;
        final long end;
        IOException failure;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Job(SocketChannel socket, FileChannel file, HttpConnection connection, long position, long end) {
            this.socket = socket;
            this.file = file;
            this.connection = connection;
            this.position = position;
            this.end = end;
        }
    }

    private final Selector selector;
    private final ConcurrentLinkedQueue<Job> incoming = new ConcurrentLinkedQueue<>();
    private final Set<Job> active = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;

    SendLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /**
     * Sends {@code [position, end)} of {@code file} to {@code socket} (a blocking channel of
     * the calling connection), waiting until all is sent; the socket is blocking again after.
     *
     * @throws IOException if the client went away, the watchdog closed the socket, or the loop stopped
     */
    void send(SocketChannel socket, FileChannel file, HttpConnection connection, long position, long end) throws IOException {
        Job job = new Job(socket, file, connection, position, end);
        socket.configureBlocking(false);
        try {
            incoming.add(job);
            selector.wakeup();
            if (!running) {
                job.done.completeExceptionally(new AsynchronousCloseException());
            }
            job.done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsynchronousCloseException();
        } finally {
            if (socket.isOpen() && !socket.isRegistered()) {
                socket.configureBlocking(true);
            }
        }
        if (socket.isOpen() && socket.isRegistered()) {
            throw new IOException("socket still registered after its body was sent");
        }
    }

    private void run() {
        List<Job> finished = new ArrayList<>();
        try {
            while (running) {
                if (selector.selectedKeys().isEmpty()) {
                    selector.select(500);
                }
                for (Job j; (j = incoming.poll()) != null; ) {
                    try {
                        j.socket.register(selector, SelectionKey.OP_WRITE, j);
                        active.add(j);
                    } catch (IOException | RuntimeException e) {
                        j.done.completeExceptionally(e instanceof IOException io ? io : new IOException(e));
                    }
                }
                for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    Job j = (Job) k.attachment();
                    try {
                        if (k.isValid() && k.isWritable() && sendSome(j)) {
                            k.cancel();
                            finished.add(j);
                        }
                    } catch (IOException | CancelledKeyException e) {
                        k.cancel();
                        finished.add(j);
                        j.failure = e instanceof IOException io ? io : new AsynchronousCloseException();
                    }
                }
                for (Job j : active) {
                    if (!j.socket.isOpen() && !finished.contains(j)) {
                        finished.add(j); // closed by the watchdog or the server: its key is cancelled already
                        j.failure = new AsynchronousCloseException();
                    }
                }
                if (!finished.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled keys, so the sockets can block again
                    for (Job j : finished) {
                        active.remove(j);
                        if (j.failure != null) {
                            j.done.completeExceptionally(j.failure);
                        } else {
                            j.done.complete(null);
                        }
                    }
                    finished.clear();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.warn("send loop {} stopped: {}", thread.getName(), e.toString());
            }
        } finally {
            running = false;
            for (Job j : active) {
                j.done.completeExceptionally(new AsynchronousCloseException());
            }
            for (Job j; (j = incoming.poll()) != null; ) {
                j.done.completeExceptionally(new AsynchronousCloseException());
            }
        }
    }

    /** One {@code sendfile} (or a few, while they fill nothing); true when the job is complete. */
    private static boolean sendSome(Job j) throws IOException {
        while (j.position < j.end) {
            long asked = Math.min(CHUNK, j.end - j.position);
            long n = j.file.transferTo(j.position, asked, j.socket);
            if (n <= 0 && j.file.size() <= j.position) {
                throw new IOException("file shrank while it was sent");
            }
            j.position += n;
            j.connection.sent(n);
            if (n < asked) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing send loop: {}", e.toString());
        }
        thread.interrupt();
    }
}
