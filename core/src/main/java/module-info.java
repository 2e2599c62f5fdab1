/**
 * netboot4j core: the cluster model ({@link io.netboot4j.core.Cluster}, built and
 * validated by {@link io.netboot4j.core.ClusterBuilder}), the service-provider
 * interfaces in {@code io.netboot4j.core.spi}, the runtime
 * ({@link io.netboot4j.core.RunningCluster}, boot events, node states) and the
 * network seam through which every server opens its sockets.
 *
 * <p>Linux specifics go through the Foreign Function &amp; Memory API; applications
 * add {@code --enable-native-access=io.netboot4j.core} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
module io.netboot4j.core {
    requires transitive org.slf4j;

    exports io.netboot4j.core;
    exports io.netboot4j.core.net;
    exports io.netboot4j.core.spi;
    // Linux helpers (setns, SO_BINDTODEVICE, mknod), the one process runner, daemon lifecycle
    // and atomic file writer: for our own modules only.
    exports io.netboot4j.core.internal to
            io.netboot4j.boot, io.netboot4j.http, io.netboot4j.dhcp, io.netboot4j.tftp, io.netboot4j.nfsroot,
            io.netboot4j.kerrighed, io.netboot4j.testkit, io.netboot4j.examples;

    uses io.netboot4j.core.spi.AddressAllocationProvider;
    uses io.netboot4j.core.spi.BootFileServiceProvider;
    uses io.netboot4j.core.spi.RootExportProvider;
    uses io.netboot4j.core.spi.KernelBuildProvider;
    uses io.netboot4j.core.spi.RootBuildProvider;
}
