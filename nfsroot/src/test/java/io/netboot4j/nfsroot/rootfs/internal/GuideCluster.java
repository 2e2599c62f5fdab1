package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.ClusterExtension;
import java.nio.file.Path;

/** The guide's six-node cluster, for tests. */
final class GuideCluster {

    private GuideCluster() {
    }

    /** A stand-in for the kerrighed module's extension (this module does not depend on it): only its name counts. */
    record KerrighedLike() implements ClusterExtension {
        @Override
        public String name() {
            return "kerrighed";
        }
    }

    static Cluster of(Path root, boolean kerrighed) {
        ClusterBuilder b = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
                        .domain("kerrighed").serverName("kerrighedserver"))
                .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")).append("console=tty1"))
                .rootFilesystem(r -> r.path(root).readWrite());
        if (kerrighed) {
            b.with(new KerrighedLike());
        }
        return b.build();
    }
}
