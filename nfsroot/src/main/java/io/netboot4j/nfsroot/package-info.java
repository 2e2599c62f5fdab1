/** Root-filesystem export (embedded NFSv3 server, kernel-nfsd and nfs-ganesha providers) and root filesystem builds (debootstrap). */
package io.netboot4j.nfsroot;
