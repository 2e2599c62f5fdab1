package io.netboot4j.nfsroot;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.internal.LinuxSyscalls;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.internal.EmbeddedNfsServer;
import io.netboot4j.nfsroot.internal.ExportRule;
import io.netboot4j.nfsroot.internal.Posix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An embedded NFS server on loopback over a test tree, for tests. */
final class TestExport implements AutoCloseable {

    final Path root;
    final Path work;
    final Cluster cluster;
    final EmbeddedNfsServer server;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();

    TestExport(Path root, Path work, List<String> rules) throws Exception {
        this(root, work, rules, r -> { });
    }

    TestExport(Path root, Path work, List<String> rules, Consumer<io.netboot4j.core.ClusterBuilder.RootBuilder> rootSpec) throws Exception {
        this(root, work, rules, rootSpec, 0);
    }

    TestExport(Path root, Path work, List<String> rules, Consumer<io.netboot4j.core.ClusterBuilder.RootBuilder> rootSpec,
               int portmapPort) throws Exception {
        this.root = root;
        this.work = work;
        var b = Cluster.builder("nfstest")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                // the clients here connect from 127.0.0.1 (QEMU's user network too), which is not a node
                .budget(x -> x.unknownSources(new io.netboot4j.core.HeadBudget.SourceLimit(0, 64, 1000)))
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> {
                    r.path(root);
                    rootSpec.accept(r);
                })
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, portmapPort))
                .workFolder(work);
        if (!rules.isEmpty()) {
            b.with(NfsExports.clients(rules.toArray(new String[0])));
        }
        cluster = b.build();
        server = new EmbeddedNfsServer(new ServiceContext(cluster, work, events::add, NetworkSeam.host(), Clock.systemUTC()),
                rules.isEmpty() ? List.of(ExportRule.forCluster(cluster)) : rules.stream().map(ExportRule::parse).toList());
        server.start();
    }

    int nfsPort() {
        return server.endpoints().get("nfs").getPort();
    }

    int mountPort() {
        return server.endpoints().get("mount").getPort();
    }

    InetSocketAddress portmap() {
        return server.endpoints().get("portmap");
    }

    /** The libnfs URL of {@code path} inside the export. */
    String url(String path) {
        return "nfs://127.0.0.1" + root + path + "?version=3&nfsport=" + nfsPort() + "&mountport=" + mountPort();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Fills {@code root} with every file type a Debian root has. */
    static void populate(Path root) throws IOException {
        TestTrees.populate(root);
    }
}
