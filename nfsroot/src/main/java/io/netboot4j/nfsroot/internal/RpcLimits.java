package io.netboot4j.nfsroot.internal;

/**
 * What one client can make the server hold: calls read but not yet answered per
 * connection (the reader stops reading the socket when it is reached, as nfs-ganesha and
 * knfsd do, so TCP pushes back on the client), the bytes of calls and replies in flight
 * across the server (calls wait for room before they are read further), and the largest
 * record (the largest WRITE and its headers; a larger one closes the connection and is
 * counted). Per connection also the bytes of its calls and replies in flight (so a few
 * connections cannot take the whole server's budget), and how long a reply may wait for
 * the client to read it: a client that stops reading is disconnected after that time and
 * gives back everything it held.
 *
 * @param callsPerConnection calls in flight per TCP connection (and per UDP socket, where excess datagrams are dropped)
 * @param inFlightBytes bytes of calls and their replies in flight, server-wide
 * @param maxRecord largest RPC record accepted
 * @param connectionBytes bytes of calls and their replies in flight per TCP connection
 * @param writeTimeoutMillis how long writing one reply may take before the connection is closed
 */
record RpcLimits(int callsPerConnection, long inFlightBytes, int maxRecord, long connectionBytes, long writeTimeoutMillis) {

    /** Calls in flight per connection by default: enough for a Linux client's readahead of 1 MiB READs. */
    static final int CALLS_PER_CONNECTION = 32;
    /** The largest record: a 1 MiB WRITE and its headers. */
    static final int MAX_RECORD = DirectBuffers.SIZE;
    /** Bytes in flight per connection by default: 16 READs or WRITEs of 1 MiB. */
    static final long CONNECTION_BYTES = 16L * Nfs3.MAX_IO + 16 * 4096;
    /** How long one reply may wait for its client to read it, by default (knfsd closes idle connections after 6 minutes). */
    static final long WRITE_TIMEOUT_MILLIS = 60_000;

    RpcLimits {
        if (callsPerConnection < 1 || inFlightBytes < maxRecord || maxRecord < 1024 || connectionBytes < maxRecord
                || writeTimeoutMillis < 1) {
            throw new IllegalArgumentException("RPC limits " + callsPerConnection + " calls, " + inFlightBytes
                    + " bytes in flight, records of " + maxRecord + " bytes, " + connectionBytes + " bytes per connection, write timeout "
                    + writeTimeoutMillis + " ms: need at least one call, room for one record and a positive timeout");
        }
    }

    /**
     * The limits within the head node's in-flight byte budget ({@code HeadBudget#inFlightBytes},
     * 64 MiB by default; at least one record): 32 calls and 16 MiB per connection (at most
     * a quarter of the budget), records up to 1 MiB and 64 KiB, 60 s to write a reply. The
     * system properties {@code netboot4j.nfs.inFlightBytes},
     * {@code netboot4j.nfs.callsPerConnection}, {@code netboot4j.nfs.connectionBytes} and
     * {@code netboot4j.nfs.writeTimeoutMillis} override them.
     */
    static RpcLimits within(long headInFlightBytes) {
        long bytes = Math.max(Long.getLong("netboot4j.nfs.inFlightBytes", headInFlightBytes), MAX_RECORD);
        int calls = Integer.getInteger("netboot4j.nfs.callsPerConnection", CALLS_PER_CONNECTION);
        long perConnection = Long.getLong("netboot4j.nfs.connectionBytes", Math.max(MAX_RECORD, Math.min(CONNECTION_BYTES, bytes / 4)));
        long timeout = Long.getLong("netboot4j.nfs.writeTimeoutMillis", WRITE_TIMEOUT_MILLIS);
        return new RpcLimits(calls, bytes, MAX_RECORD, perConnection, timeout);
    }
}
