package io.netboot4j.core;

import java.nio.file.Path;

/** The guide's cluster, shared by tests. */
final class GuideCluster {

    private GuideCluster() {
    }

    /** The guide's six nodes with unicast MACs (first byte 02 instead of the guide's 01). */
    static ClusterBuilder builder() {
        return Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
                        .domain("kerrighed").serverName("kerrighedserver"))
                .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/var/lib/tftpboot/vmlinuz-2.6.20-krg")).append("console=tty1"))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed").readWrite());
    }
}
