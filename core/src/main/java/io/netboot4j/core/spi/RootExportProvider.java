package io.netboot4j.core.spi;

/** Provider of root-filesystem export (NFS); the embedded default is named {@code embedded}. */
public interface RootExportProvider extends ServiceProvider<RootExport> {

    /**
     * Whether the services this provider creates export every root of
     * {@link io.netboot4j.core.Cluster#rootFilesystems()} (node groups with roots of their own),
     * each as an export of its own. Default {@code false}: a provider written before node groups
     * had roots exports {@link io.netboot4j.core.Cluster#rootFilesystem()} only, and
     * {@link io.netboot4j.core.ClusterBuilder#build()} refuses a cluster with group roots that
     * chose it.
     */
    default boolean exportsSeveralRoots() {
        return false;
    }
}
