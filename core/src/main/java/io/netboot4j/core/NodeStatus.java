package io.netboot4j.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the status table: a node, its state, the last event about it and when its
 * state last changed.
 *
 * @param node the node
 * @param state its current state
 * @param lastEvent the most recent event about it, if any
 * @param since when it entered {@code state}
 */
public record NodeStatus(Node node, NodeState state, Optional<BootEvent> lastEvent, Instant since) {
}
