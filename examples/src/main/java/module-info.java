/**
 * netboot4j examples: runnable programs. The guide's six-node Kerrighed cluster in code
 * ({@link io.netboot4j.examples.KerrighedClusterExample}) and a virtual cluster booted
 * diskless from the embedded stack ({@link io.netboot4j.examples.VirtualClusterDemo}).
 */
module io.netboot4j.examples {
    requires transitive io.netboot4j.core;
    requires io.netboot4j.boot;
    requires io.netboot4j.dhcp;
    requires io.netboot4j.tftp;
    requires io.netboot4j.nfsroot;
    requires io.netboot4j.kerrighed;
    requires io.netboot4j.testkit;
    requires org.slf4j;

    exports io.netboot4j.examples;
}
