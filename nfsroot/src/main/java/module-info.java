/** netboot4j nfsroot: Root-filesystem export (embedded NFSv3 server, kernel-nfsd and nfs-ganesha providers) and root filesystem builds (debootstrap). */
module io.netboot4j.nfsroot {
    requires transitive io.netboot4j.core;
}
