/** netboot4j kerrighed: Kerrighed: kernel build backends, Kerrighed configuration and boot arguments, krgadm/krgcapset administration API. */
module io.netboot4j.kerrighed {
    requires transitive io.netboot4j.core;
}
