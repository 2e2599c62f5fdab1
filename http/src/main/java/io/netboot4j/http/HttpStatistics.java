package io.netboot4j.http;

/**
 * Counters of an {@link HttpBootServer} since start.
 *
 * @param connections connections accepted and served
 * @param refusedConnections connections refused: answered 503 because {@code maxConnections} were open or
 *     a node was over its limit or the budget; closed without an answer for a source the head's
 *     budget refuses (not a node, over its request rate or its share)
 * @param requests requests read
 * @param badRequests malformed requests (400, 431, 505; the connection is closed)
 * @param refused targets refused by the confinement rules ({@code ..}, escapes, absolute names: 400)
 * @param notFound names not in the boot tree (404)
 * @param filesSent whole files sent (200 to a GET)
 * @param failedTransfers whole-file responses that ended early (client gone or stalled)
 * @param timedOut connections closed by the watchdog while reading a request or sending a response
 * @param bytesSent bytes written, heads included
 * @param open connections open now
 */
public record HttpStatistics(long connections, long refusedConnections, long requests, long badRequests, long refused,
                             long notFound, long filesSent, long failedTransfers, long timedOut, long bytesSent, int open) {
}
