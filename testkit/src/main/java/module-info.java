/** netboot4j testkit: Real test hosts: network namespaces, bridges, taps, QEMU nodes with iPXE firmware, wrappers of real clients. */
module io.netboot4j.testkit {
    requires transitive io.netboot4j.core;
}
