package io.netboot4j.nfsroot.internal;

import java.util.concurrent.Executor;

/**
 * What the TCP and UDP transports of one port share: the port's name (for logs and thread
 * names), its programs, the limits and the server-wide budget, the workers, and where
 * refused messages are counted, and who is admitted ({@link RpcGate}).
 *
 * @param counters where malformed and oversized records are also counted (may be null)
 */
record RpcEndpoint(String name, RpcPrograms programs, RpcLimits limits, InFlightBudget budget, Executor workers,
                   ExportState counters, RpcGate gate) {

    void countMalformed() {
        if (counters != null) {
            counters.countMalformed();
        }
    }
}
