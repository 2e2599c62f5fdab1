/**
 * The cluster model and runtime: {@link io.netboot4j.core.Cluster} described by
 * {@link io.netboot4j.core.ClusterBuilder}, prepared ({@link io.netboot4j.core.Cluster#prepare})
 * and started as a {@link io.netboot4j.core.RunningCluster} whose services report
 * {@link io.netboot4j.core.BootEvent}s folded into a {@link io.netboot4j.core.NodeState} per node.
 *
 * <h2>One settings record per server</h2>
 * Every server (embedded or a managed daemon) is configured the same way, so that its
 * settings are part of the cluster's description ({@code equals}, {@code toBuilder()}) and
 * reach the provider whether it was chosen by name or by instance:
 * <ol>
 * <li>one immutable record {@code <Server>Settings implements ClusterExtension} in the
 *     server module's public package ({@code DhcpSettings}, {@code TftpSettings},
 *     {@code NfsExports}), whose canonical constructor checks every component and
 *     throws {@link java.lang.IllegalArgumentException} naming the value;</li>
 * <li>{@code static defaults()} (what a cluster without it gets), {@code static of(Cluster)}
 *     ({@code cluster.extension(X.class).orElseGet(X::defaults)}), {@code static builder()}
 *     and {@code toBuilder()};</li>
 * <li>cross-field and cross-cluster problems go to {@link io.netboot4j.core.ClusterExtension#validate},
 *     so {@code build()} lists them with the others;</li>
 * <li>the provider reads {@code X.of(context.cluster())} in {@code create}/{@code start};
 *     a new setting is a new record component with its default in {@code defaults()}, never a
 *     provider constructor argument.</li>
 * </ol>
 * Users add it with {@code .with(TftpSettings.builder().maxTransfers(256).build())} and change
 * it with {@code cluster.toBuilder().with(TftpSettings.of(cluster).toBuilder()...build())}.
 * Runtime hooks that are not data (a thread factory, a custom boot tree) stay on the
 * provider instance.
 */
package io.netboot4j.core;
