package io.netboot4j.nfsroot.bench;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.EmbeddedNfsProvider;
import io.netboot4j.nfsroot.NfsExports;
import io.netboot4j.nfsroot.NfsGaneshaProvider;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Serves a folder on 127.0.0.1 with the embedded server or nfs-ganesha for bench/nfs.sh:
 * prints {@code READY nfs=<port> mount=<port>} and serves until stdin closes.
 *
 * <pre>java ... NfsBench embedded|ganesha ROOT WORK</pre>
 */
public final class NfsBench {

    private NfsBench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args[0];
        Path root = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        Cluster cluster = Cluster.builder("nfsbench")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "02:00:00:00:00:01", "127.0.0.2")
                // nfs-cp and nfs-ls connect from 127.0.0.1, which is not a node: admit it (16 parallel readers)
                .budget(b -> b.unknownSources(new HeadBudget.SourceLimit(0, 64, 1000)))
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path(root))
                .with(NfsExports.clients("127.0.0.0/8(rw,no_root_squash,insecure,async)"))
                .ports(ServicePorts.DEFAULTS.withNfs(0, 0, which.equals("ganesha") ? 111 : 0))
                .workFolder(work)
                .build();
        ServiceContext ctx = new ServiceContext(cluster, work, e -> { }, NetworkSeam.host(), Clock.systemUTC());
        RootExport export = which.equals("ganesha") ? new NfsGaneshaProvider().create(ctx) : new EmbeddedNfsProvider().create(ctx);
        try (export) {
            export.start();
            System.out.println("READY nfs=" + export.endpoints().get("nfs").getPort() + " mount=" + export.endpoints().get("mount").getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until stdin closes
            }
        }
    }
}
