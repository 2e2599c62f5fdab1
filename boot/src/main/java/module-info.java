/**
 * netboot4j boot: the boot tree of a cluster ({@link io.netboot4j.boot.PxeBootTree}) and its
 * renderers ({@link io.netboot4j.boot.PxeConfig}), shared by the TFTP and HTTP servers.
 */
module io.netboot4j.boot {
    requires transitive io.netboot4j.core;

    exports io.netboot4j.boot;
}
