package io.netboot4j.core;

/**
 * Receives {@link BootEvent}s. Called on the thread of the service that emits the event,
 * in order; keep it quick and do not throw (exceptions are logged and dropped).
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
