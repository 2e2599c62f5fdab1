/**
 * netboot4j http: an embedded HTTP/1.1 server for the boot tree ({@link io.netboot4j.http.HttpBootServer}),
 * for iPXE loading kernel and initrd over HTTP and for UEFI HTTP Boot.
 */
module io.netboot4j.http {
    requires transitive io.netboot4j.core;
    requires transitive io.netboot4j.boot;

    exports io.netboot4j.http;
}
