/**
 * The cluster model and runtime: {@link io.netboot4j.core.Cluster} described by
 * {@link io.netboot4j.core.ClusterBuilder}, started as a {@link io.netboot4j.core.RunningCluster}
 * whose services report {@link io.netboot4j.core.BootEvent}s folded into a
 * {@link io.netboot4j.core.NodeState} per node.
 */
package io.netboot4j.core;
