package io.netboot4j.dhcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map in insertion order that forgets its eldest entry once it holds more than its limit:
 * the bounded memory of which unknown clients were reported or announced already, so a flood
 * of made-up MAC addresses cannot grow it.
 */
final class BoundedMap<K, V> extends LinkedHashMap<K, V> {

    private static final long serialVersionUID = 1L;

    private final int limit;

    BoundedMap(int limit) {
        super(64, 0.75f, false);
        this.limit = limit;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > limit;
    }
}
