package io.netboot4j.dhcp;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** The small cluster the dhcp tests serve: head 10.77.0.1 on br0, nodes from 10.77.0.101. */
final class TestClusters {

    static final String NODE1_MAC = "02:00:00:00:00:01";
    static final String NODE2_MAC = "02:00:00:00:00:02";

    private TestClusters() {
    }

    static ClusterBuilder builder(NetworkSeam seam) {
        return Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1").domain("kerrighed")
                        .serverName("kerrighedserver").dnsServers("10.77.0.1"))
                .node("kerrighednode1", NODE1_MAC, "10.77.0.101")
                .node("kerrighednode2", NODE2_MAC, "10.77.0.102")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")).initrd(Path.of("/boot/initrd.img")))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed"))
                .networkSeam(seam);
    }

    static Cluster cluster(NetworkSeam seam) {
        return builder(seam).build();
    }

    static Cluster cluster(NetworkSeam seam, UnaryOperator<ClusterBuilder> more) {
        return more.apply(builder(seam)).build();
    }

    /** Collects events. */
    static final class Events {
        final List<BootEvent> all = new CopyOnWriteArrayList<>();

        void add(BootEvent e) {
            all.add(e);
        }

        <E extends BootEvent> List<E> of(Class<E> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static ServiceContext context(Cluster cluster, Path work, Events events) {
        return new ServiceContext(cluster, work, events::add, cluster.networkSeam(), Clock.systemUTC());
    }
}
