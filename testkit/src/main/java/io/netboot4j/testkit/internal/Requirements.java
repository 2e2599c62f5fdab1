package io.netboot4j.testkit.internal;

import io.netboot4j.testkit.Commands;

/**
 * The first unmet requirement of a test host, in words that name the Debian package to
 * install; empty when every requirement is met. What {@code unavailableReason()} of the
 * testkit's hosts returns.
 */
public final class Requirements {

    private String missing;

    private Requirements(String missing) {
        this.missing = missing;
    }

    /** Starts from another requirement's reason (empty: met), for example a network namespace's. */
    public static Requirements after(String reason) {
        return new Requirements(reason);
    }

    /** Requires the program {@code name} on the path; {@code why} if it is missing. */
    public Requirements command(String name, String why) {
        return holds(Commands.exists(name), why);
    }

    /** Requires {@code met}; {@code why} if it is not. */
    public Requirements holds(boolean met, String why) {
        if (missing.isEmpty() && !met) {
            missing = why;
        }
        return this;
    }

    /** Requires what another host needs (its reason, empty when met). */
    public Requirements and(String reason) {
        return holds(reason.isEmpty(), reason);
    }

    /** The first unmet requirement, or empty. */
    public String reason() {
        return missing;
    }
}
