package io.netboot4j.nfsroot.internal;

import java.net.Inet4Address;

/**
 * Who sent a call: the client's address and source port, and its AUTH_UNIX credentials
 * (AUTH_NONE callers have {@code unix == false}).
 */
public record Caller(Inet4Address address, int port, boolean unix, int uid, int gid, int[] gids) {

    /** A caller without credentials (AUTH_NONE). */
    public static Caller none(Inet4Address address, int port) {
        return new Caller(address, port, false, -1, -1, new int[0]);
    }

    /** A caller with AUTH_UNIX credentials. */
    public static Caller unix(Inet4Address address, int port, int uid, int gid, int... gids) {
        return new Caller(address, port, true, uid, gid, gids.clone());
    }

    /** Whether the source port is reserved (below 1024). */
    public boolean reservedPort() {
        return port > 0 && port < 1024;
    }
}
