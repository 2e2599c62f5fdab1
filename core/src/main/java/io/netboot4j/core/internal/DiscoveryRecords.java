package io.netboot4j.core.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.MacAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machines discovery saw, bounded: at most {@code max} records (the one seen longest ago
 * is forgotten first) and none older than {@code lifetime}, so a flood of random MACs costs a
 * fixed amount of memory and is forgotten. Thread-safe.
 */
public final class DiscoveryRecords {

    private final int max;
    private final Duration lifetime;
    /** In the order last seen, oldest first. */
    private final Map<MacAddress, BootEvent.NodeDiscovered> byMac = new LinkedHashMap<>();

    /**
     * @param max how many records are kept at most
     * @param lifetime how long a record is kept after its machine was last seen
     */
    public DiscoveryRecords(int max, Duration lifetime) {
        this.max = max;
        this.lifetime = lifetime;
    }

    /** Records {@code d} (replacing an older record of its MAC), then forgets the expired and the oldest over the bound. */
    public synchronized void add(BootEvent.NodeDiscovered d) {
        byMac.remove(d.macAddress());
        byMac.put(d.macAddress(), d);
        expire(d.time());
        Iterator<MacAddress> oldest = byMac.keySet().iterator();
        while (byMac.size() > max) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Records each of {@code records} in order. */
    public void addAll(Collection<BootEvent.NodeDiscovered> records) {
        records.forEach(this::add);
    }

    /** The records not expired at {@code now}, oldest first. */
    public synchronized List<BootEvent.NodeDiscovered> all(Instant now) {
        expire(now);
        return List.copyOf(byMac.values());
    }

    /** The record of {@code mac}, if one is kept. */
    public synchronized Optional<BootEvent.NodeDiscovered> of(MacAddress mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    /** Forgets the record of {@code mac} (for example once adopted). */
    public synchronized void remove(MacAddress mac) {
        byMac.remove(mac);
    }

    private void expire(Instant now) {
        Instant limit = now.minus(lifetime);
        byMac.values().removeIf(d -> d.time().isBefore(limit));
    }
}
