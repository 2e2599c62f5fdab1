package io.netboot4j.core;

/**
 * Receives {@link BootEvent}s. {@link RunningCluster} calls its listeners on one event
 * thread of its own, one event at a time, in the order the services reported them, never
 * on a server's network thread. The node table ({@link RunningCluster#status(String)},
 * {@code await}) is updated before the listeners run.
 *
 * <p>Events wait in a bounded queue ({@code 65,536}). An event about a node of the cluster
 * is not dropped: a full queue makes the server that reports it wait for room (up to a
 * minute). Events about unknown sources are dropped once the queue is half full and
 * counted in {@link RunningCluster#droppedEvents()}. Keep a listener quick, and do not
 * throw: exceptions are logged and the next listener still runs.
 */
@FunctionalInterface
public interface BootEventListener {

    /** Handles one event. */
    void onEvent(BootEvent event);

    /** A listener that ignores every event. */
    static BootEventListener none() {
        return e -> { };
    }
}
