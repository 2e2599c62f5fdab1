/** netboot4j nfsroot: Root-filesystem export (embedded NFSv3 server, kernel-nfsd and nfs-ganesha providers) and root filesystem builds (debootstrap). */
module io.netboot4j.nfsroot {
    requires transitive io.netboot4j.core;

    exports io.netboot4j.nfsroot;
    exports io.netboot4j.nfsroot.rootfs;

    provides io.netboot4j.core.spi.RootExportProvider with
            io.netboot4j.nfsroot.EmbeddedNfsProvider,
            io.netboot4j.nfsroot.KernelNfsdProvider,
            io.netboot4j.nfsroot.NfsGaneshaProvider;
    provides io.netboot4j.core.spi.RootBuildProvider with
            io.netboot4j.nfsroot.rootfs.internal.DebootstrapRootBuildProvider,
            io.netboot4j.nfsroot.rootfs.internal.ExistingRootBuildProvider;
}
