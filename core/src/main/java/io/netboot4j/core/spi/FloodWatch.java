package io.netboot4j.core.spi;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Counts what a server drops (malformed packets, unknown sources, requests over a limit),
 * writes at most one log line per {@link #LOG_INTERVAL} about it, and reports a source that
 * keeps being dropped ({@link #THRESHOLD} times within {@link #WINDOW}) once as a
 * {@link BootEvent.FloodSuspected}. Cheap per packet; bounded memory. Thread-safe.
 */
public final class FloodWatch {

    /** Drops from one source within {@link #WINDOW} that make it a flood. */
    public static final int THRESHOLD = 200;
    /** The window in which {@link #THRESHOLD} drops are counted. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** At most one log line about drops per this interval. */
    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    /** Sources counted (and reported) at once at most. */
    static final int MAX_SOURCES = 1024;

    private final String service;
    private final BootEventListener events;
    private final Clock clock;
    private final Logger log;
    private final LongAdder total = new LongAdder();
    private final AtomicLong sinceLog = new AtomicLong();
    private final AtomicLong lastLog;
    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private final Set<InetAddress> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param service the server's name, in log lines and events
     * @param events where a flood is reported
     * @param clock the time source
     * @param log the server's logger
     */
    public FloodWatch(String service, BootEventListener events, Clock clock, Logger log) {
        this.service = service;
        this.events = events;
        this.clock = clock;
        this.log = log;
        this.lastLog = new AtomicLong(clock.millis() - LOG_INTERVAL.toMillis());
    }

    /**
     * Counts one dropped packet or request.
     *
     * @param source its sender
     * @param reason why it was dropped: a constant, so that counting allocates nothing
     */
    public void dropped(InetAddress source, String reason) {
        total.increment();
        long now = clock.millis();
        long n = sinceLog.incrementAndGet();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL.toMillis() && lastLog.compareAndSet(last, now)) {
            sinceLog.addAndGet(-n);
            log.warn("{}: dropped {} packets or requests in the last {} s (last from {}: {}); {} in all",
                    service, n, Math.max(1, (now - last) / 1000), source.getHostAddress(), reason, total.sum());
        }
        if (reported.contains(source)) {
            return;
        }
        Window w = windows.get(source);
        if (w == null) {
            if (windows.size() >= MAX_SOURCES) {
                windows.values().removeIf(x -> now - x.start > WINDOW.toMillis());
                if (windows.size() >= MAX_SOURCES) {
                    return;
                }
            }
            w = windows.computeIfAbsent(source, s -> new Window(now));
        }
        long count = w.add(now);
        if (count >= THRESHOLD && reported.size() < MAX_SOURCES && reported.add(source)) {
            windows.remove(source);
            log.warn("{}: flood from {}: {} packets or requests dropped within {} s (last: {}); reported once",
                    service, source.getHostAddress(), count, WINDOW.toSeconds(), reason);
            try {
                events.onEvent(new BootEvent.FloodSuspected(clock.instant(), service, source, count, WINDOW, reason));
            } catch (RuntimeException e) {
                log.warn("{}: boot event listener threw on a flood report; ignored", service, e);
            }
        }
    }

    /** Everything dropped so far. */
    public long dropped() {
        return total.sum();
    }

    /** The sources reported as floods so far. */
    public Set<InetAddress> floods() {
        return Set.copyOf(reported);
    }

    /** Drops of one source since the window started. */
    private static final class Window {
        volatile long start;
        long count;

        Window(long start) {
            this.start = start;
        }

        synchronized long add(long now) {
            if (now - start > WINDOW.toMillis()) {
                start = now;
                count = 0;
            }
            return ++count;
        }
    }
}
