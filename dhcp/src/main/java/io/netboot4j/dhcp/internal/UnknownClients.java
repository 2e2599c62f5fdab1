package io.netboot4j.dhcp.internal;

import io.netboot4j.core.MacAddress;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients a DHCP engine ignored because they are not nodes: each is counted every time and
 * reported once (not once per retransmission), remembering at most {@value #LIMIT} of them so
 * a flood of made-up MAC addresses cannot grow it. Thread-safe.
 */
final class UnknownClients {

    /** How many unknown MACs are remembered as already reported. */
    static final int LIMIT = 4096;

    private final Map<MacAddress, Boolean> reported = Collections.synchronizedMap(new BoundedMap<>(LIMIT));
    private final LongAdder ignored = new LongAdder();

    /** Counts one ignored message of {@code mac}; true the first time (report it), false after. */
    boolean ignore(MacAddress mac) {
        ignored.increment();
        return reported.put(mac, Boolean.TRUE) == null;
    }

    /** Messages of unknown clients ignored so far. */
    long count() {
        return ignored.sum();
    }
}
