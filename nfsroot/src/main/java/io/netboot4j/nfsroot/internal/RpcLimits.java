package io.netboot4j.nfsroot.internal;

/**
 * What one client can make the server hold: calls read but not yet answered per
 * connection (the reader stops reading the socket when it is reached, as nfs-ganesha and
 * knfsd do, so TCP pushes back on the client), the bytes of calls and replies in flight
 * across the server (calls wait for room before they are read further), and the largest
 * record (the largest WRITE and its headers; a larger one closes the connection and is
 * counted).
 *
 * @param callsPerConnection calls in flight per TCP connection (and per UDP socket, where excess datagrams are dropped)
 * @param inFlightBytes bytes of calls and their replies in flight, server-wide
 * @param maxRecord largest RPC record accepted
 */
record RpcLimits(int callsPerConnection, long inFlightBytes, int maxRecord) {

    /** Calls in flight per connection by default: enough for a Linux client's readahead of 1 MiB READs. */
    static final int CALLS_PER_CONNECTION = 32;
    /** The largest record: a 1 MiB WRITE and its headers. */
    static final int MAX_RECORD = DirectBuffers.SIZE;

    RpcLimits {
        if (callsPerConnection < 1 || inFlightBytes < maxRecord || maxRecord < 1024) {
            throw new IllegalArgumentException("RPC limits " + callsPerConnection + " calls, " + inFlightBytes
                    + " bytes in flight, records of " + maxRecord + " bytes: need at least one call and room for one record");
        }
    }

    /**
     * The limits within the head node's in-flight byte budget ({@code HeadBudget#inFlightBytes},
     * 64 MiB by default; at least one record): 32 calls per connection, records up to
     * 1 MiB and 64 KiB. The system properties {@code netboot4j.nfs.inFlightBytes} and
     * {@code netboot4j.nfs.callsPerConnection} override them.
     */
    static RpcLimits within(long headInFlightBytes) {
        long bytes = Long.getLong("netboot4j.nfs.inFlightBytes", headInFlightBytes);
        int calls = Integer.getInteger("netboot4j.nfs.callsPerConnection", CALLS_PER_CONNECTION);
        return new RpcLimits(calls, Math.max(bytes, MAX_RECORD), MAX_RECORD);
    }
}
