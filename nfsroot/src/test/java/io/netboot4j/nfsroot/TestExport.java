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
        Random rnd = new Random(42);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "node1\n");
        Files.writeString(root.resolve("etc/fstab"), "# fstab\nproc /proc proc defaults 0 0\n");
        Files.createDirectories(root.resolve("usr/bin"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        rnd.nextBytes(big);
        Files.write(root.resolve("usr/bin/big"), big);
        Files.write(root.resolve("usr/bin/empty"), new byte[0]);
        Files.writeString(root.resolve("usr/bin/su"), "#!/bin/sh\necho su\n");
        Posix.chmod(root.resolve("usr/bin/su"), 04755);
        Files.createDirectories(root.resolve("tmp"));
        Posix.chmod(root.resolve("tmp"), 01777);
        Files.createDirectories(root.resolve("home/user"));
        Files.writeString(root.resolve("home/user/notes.txt"), "private notes\n");
        Posix.lchown(root.resolve("home/user"), 1000, 1000);
        Posix.lchown(root.resolve("home/user/notes.txt"), 1000, 1000);
        Posix.chmod(root.resolve("home/user"), 0700);
        Posix.chmod(root.resolve("home/user/notes.txt"), 0600);
        Files.createDirectories(root.resolve("bin"));
        Posix.symlink("../usr/bin/su".getBytes(StandardCharsets.UTF_8), root.resolve("bin/su"));
        Posix.symlink("/etc/hostname".getBytes(StandardCharsets.UTF_8), root.resolve("etc/hostname.abs"));
        Posix.link(root.resolve("usr/bin/big"), root.resolve("usr/bin/big.hardlink"));
        Files.createDirectories(root.resolve("dev"));
        LinuxSyscalls.mknod(root.resolve("dev/null").toString(), 0020666, LinuxSyscalls.makedev(1, 3));
        LinuxSyscalls.mknod(root.resolve("dev/sda").toString(), 0060660, LinuxSyscalls.makedev(8, 0));
        LinuxSyscalls.mknod(root.resolve("dev/initctl").toString(), 0010600, 0);
        LinuxSyscalls.mknod(root.resolve("dev/log").toString(), 0140666, 0);
        Files.createDirectories(root.resolve("var/lib/many"));
        for (int i = 0; i < 600; i++) {
            Files.writeString(root.resolve("var/lib/many/file-with-a-longish-name-" + i), "entry " + i + "\n");
        }
    }
}
