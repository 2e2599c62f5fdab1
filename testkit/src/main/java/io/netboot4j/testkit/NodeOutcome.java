package io.netboot4j.testkit;

import io.netboot4j.core.MacAddress;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one simulated node in a {@link StormSimulator} run.
 *
 * @param hostname the node's name in the cluster
 * @param mac its card's address
 * @param address the address DHCP gave it ({@code null} if none)
 * @param phases for each phase it finished, the time from the storm's start to that phase's end
 * @param retransmissions packets sent again after a timeout (DHCP and TFTP), plus RPC calls redone
 * @param dropped datagrams the simulated link lost (both directions) and TCP segments it "lost"
 * @param failedIn the phase that failed, or {@code null}
 * @param failure why it failed, or {@code null}
 */
public record NodeOutcome(String hostname, MacAddress mac, Inet4Address address, Map<StormPhase, Duration> phases,
        int retransmissions, int dropped, StormPhase failedIn, String failure) {

    /** Copies the phase map. */
    public NodeOutcome {
        phases = Map.copyOf(phases);
    }

    /** Whether the node finished every phase. */
    public boolean up() {
        return failure == null && phases.containsKey(StormPhase.WORKING_SET);
    }

    /** The time from the storm's start until the node was up, if it came up. */
    public Optional<Duration> upAfter() {
        return up() ? Optional.of(phases.get(StormPhase.WORKING_SET)) : Optional.empty();
    }
}
