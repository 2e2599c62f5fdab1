package io.netboot4j.dhcp.internal;

/**
 * Thrown inside a DHCP engine for a datagram that is not a well-formed request; the engine's
 * {@link DhcpTally#handle} counts and drops it. Carries no stack trace (a flood of junk costs
 * no stack walks).
 */
final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
        super(message, null, false, false);
    }
}
