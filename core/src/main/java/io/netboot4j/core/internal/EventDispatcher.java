package io.netboot4j.core.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls boot-event listeners on one thread of its own, in the order the events were
 * published, never on the publishing (network) thread.
 *
 * <p>The queue is bounded ({@link #CAPACITY} events). An event about a node of the cluster
 * is not lost: when the queue is full, its publisher waits for room, up to a minute (a
 * listener slower than the cluster slows the servers down rather than lose their events;
 * one stuck for a minute is logged as an error with the event it missed). An event about
 * an unknown source is dropped and counted once the queue is half full, so a flood of
 * strangers cannot hold up the nodes' events nor grow memory.
 */
public final class EventDispatcher implements AutoCloseable {

    /** Events waiting for the listeners at most. */
    public static final int CAPACITY = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final Runnable STOP = () -> { };
    /** How long a publisher waits for room for a node's event (every wait has a deadline). */
    private static final Duration KNOWN_NODE_WAIT = Duration.ofSeconds(60);

    private final List<BootEventListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the event thread.
     *
     * @param name the thread's name, for example {@code netboot4j-events-kerrighed}
     * @param initial listeners that see every event from the first one
     */
    public EventDispatcher(String name, List<BootEventListener> initial) {
        listeners.addAll(initial);
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Adds a listener for events published from now on. */
    public void add(BootEventListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void remove(BootEventListener listener) {
        listeners.remove(listener);
    }

    /**
     * Queues {@code event} for the listeners.
     *
     * @param knownNode whether the event concerns a node of the cluster (never dropped)
     */
    public void publish(BootEvent event, boolean knownNode) {
        if (closed || listeners.isEmpty()) {
            return;
        }
        Runnable delivery = () -> deliver(event);
        if (knownNode) {
            try {
                if (!queue.offer(delivery, KNOWN_NODE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.error("boot event listeners have not taken an event for {}: {} not delivered", KNOWN_NODE_WAIT,
                            event.describe());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (queue.size() >= CAPACITY / 2 || !queue.offer(delivery)) {
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("boot event listeners fall behind: events about unknown sources are dropped (first: {})", event.describe());
            }
        }
    }

    /** Events about unknown sources dropped because the listeners fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Waits until every event queued before this call has been delivered.
     *
     * @return whether they were, within {@code timeout}
     */
    public boolean awaitDelivered(Duration timeout) throws InterruptedException {
        if (Thread.currentThread() == thread) {
            return true;
        }
        var done = new java.util.concurrent.CountDownLatch(1);
        if (!queue.offer(done::countDown, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void deliver(BootEvent event) {
        for (BootEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("boot event listener {} threw on {}; ignored", l, event.describe(), e);
            }
        }
    }

    private void run() {
        while (true) {
            Runnable next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            next.run();
        }
    }

    /** Delivers what is queued (waiting up to five seconds), then stops the thread; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
            if (Thread.currentThread() != thread) {
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }
}
