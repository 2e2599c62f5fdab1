/**
 * netboot4j testkit: real test hosts for cluster code. Network namespaces with bridges,
 * taps and veths, a {@link io.netboot4j.core.net.NetworkSeam} that opens sockets inside a
 * namespace, and wrappers of real clients.
 */
module io.netboot4j.testkit {
    requires transitive io.netboot4j.core;
    requires static org.junit.jupiter.api;
    requires org.dhcp4java;

    exports io.netboot4j.testkit;
}
