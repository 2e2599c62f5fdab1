package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.boot.PxeConfig;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.HeadBudget;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.ServicePorts;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.ServiceContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code embedded} provider: found by name, serving the cluster's boot tree. */
class EmbeddedProviderTest {

    @TempDir
    Path work;

    static Cluster loopbackCluster(Path kernel, Path initrd) {
        return Cluster.builder("loop")
                .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                .node("node1", "52:54:00:12:34:56", "127.0.0.2")
                .node("node2", "52:54:00:12:34:57", "127.0.0.3", "quiet")
                .boot(b -> b.kernel(kernel).initrd(initrd).append("console=ttyS0"))
                .rootFilesystem(r -> r.path("/srv/nfsroot").readWrite())
                .ports(ServicePorts.DEFAULTS.withTftp(0).withHttp(0))
                // tftp-hpa and atftp ask from 127.0.0.1, which is no node: give such sources a share
                .budget(b -> b.unknownSources(new HeadBudget.SourceLimit(4, 4, 100)))
                .build();
    }

    @Test
    void serviceLoaderFindsTheProviderNamedEmbedded() {
        var available = Providers.available(BootFileServiceProvider.class);
        assertThat(available).containsKey("embedded");
        assertThat(available.get("embedded")).isInstanceOf(EmbeddedTftpProvider.class);
        assertThat(Providers.available(BootFileServiceProvider.class, EmbeddedProviderTest.class.getClassLoader()))
                .containsKey("embedded");
    }

    @Test
    @Tag("integration")
    void servesTheGeneratedTreeOnTheClusterAddressAndReportsEvents() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path kernel = Files.write(work.resolve("vmlinuz"), new byte[300_000]);
        Path initrd = Files.write(work.resolve("initrd.img"), new byte[100_000]);
        Cluster cluster = loopbackCluster(kernel, initrd);
        List<BootEvent> events = new CopyOnWriteArrayList<>();
        BootFileService service = Providers.available(BootFileServiceProvider.class).get("embedded")
                .create(new ServiceContext(cluster, work, events::add, NetworkSeam.host(), Clock.systemUTC()));
        try (service) {
            service.start();
            InetSocketAddress at = service.endpoints().get("tftp");
            assertThat(at.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(at.getPort()).isPositive();
            Path out = work.resolve("node2.cfg");
            var r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", Integer.toString(at.getPort()),
                    "-c", "get", "pxelinux.cfg/01-52-54-00-12-34-57", out.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(Files.readString(out)).isEqualTo(PxeConfig.pxelinuxNode(cluster, cluster.nodes().get(1)))
                    .contains("APPEND console=ttyS0 root=/dev/nfs initrd=initrd.img nfsroot=127.0.0.1:/srv/nfsroot,vers=3,tcp ip=dhcp rw quiet");
            out = work.resolve("kernel.out");
            r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", Integer.toString(at.getPort()),
                    "-c", "get", "vmlinuz", out.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            Peers.assertSameBytes(kernel, out);
            // The client exits on the last DATA; the server reports the transfer when the final
            // ACK arrives, a moment later: wait for it (a safety net, not a speed check).
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
            while (events.stream().noneMatch(e -> e instanceof BootEvent.FileSent f && f.file().equals("vmlinuz"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(service.endpoints()).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof BootEvent.FileSent).extracting(e -> ((BootEvent.FileSent) e).file())
                .contains("pxelinux.cfg/01-52-54-00-12-34-57", "vmlinuz");
    }

    @Test
    @Tag("integration")
    void aStartedClusterMovesItsNodesToKernelWhenTheKernelIsFetchedOverTftpOrHttp() throws Exception {
        Peers.require("curl", "curl");
        Path kernel = Files.write(work.resolve("vmlinuz"), new byte[5000]);
        Path initrd = Files.write(work.resolve("initrd.img"), new byte[5000]);
        // only the boot-file concern is exercised: the others get providers that do nothing
        Cluster cluster = loopbackCluster(kernel, initrd).toBuilder()
                .rootExport(new io.netboot4j.core.spi.RootExportProvider() {
                    @Override public String name() { return "none"; }
                    @Override public io.netboot4j.core.spi.RootExport create(ServiceContext ctx) { return new NoService("no root export"); }
                })
                .addressAllocation(new io.netboot4j.core.spi.AddressAllocationProvider() {
                    @Override public String name() { return "none"; }
                    @Override public io.netboot4j.core.spi.AddressAllocation create(ServiceContext ctx) { return new NoService("no DHCP"); }
                })
                .workFolder(work)
                .build();
        try (var running = cluster.start()) {
            int port = running.services().stream().filter(s -> s instanceof BootFileService).findFirst().orElseThrow()
                    .endpoints().get("tftp").getPort();
            // node2 is 127.0.0.3: curl asks from there
            var r = Peers.run(work, null, 30, "curl", "-sS", "--interface", "127.0.0.3", "-o", work.resolve("k").toString(),
                    "tftp://127.0.0.1:" + port + "/vmlinuz");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(running.await("node2", NodeState.KERNEL, java.time.Duration.ofSeconds(10)).state()).isEqualTo(NodeState.KERNEL);
            assertThat(running.status("node1").state()).isEqualTo(NodeState.OFF);
            // the same tree over HTTP: the script (fetched over TFTP) names the HTTP port chosen
            // at start; node1 (127.0.0.2) fetches the initrd, then the kernel, over HTTP
            var endpoints = running.services().stream().filter(s -> s instanceof BootFileService).findFirst().orElseThrow().endpoints();
            String base = "http://127.0.0.1:" + endpoints.get("http").getPort() + "/";
            r = Peers.run(work, null, 30, "curl", "-sS", "-o", work.resolve("s").toString(), "tftp://127.0.0.1:" + port + "/boot.ipxe");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(Files.readString(work.resolve("s"))).contains("kernel " + base + "vmlinuz initrd=initrd.img ")
                    .contains("initrd " + base + "initrd.img\n");
            r = Peers.run(work, null, 30, "curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o", work.resolve("i").toString(),
                    base + "initrd.img");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(running.await("node1", NodeState.LOADING, java.time.Duration.ofSeconds(10)).state()).isEqualTo(NodeState.LOADING);
            r = Peers.run(work, null, 30, "curl", "-sS", "--fail", "--interface", "127.0.0.2", "-o", work.resolve("k1").toString(),
                    base + "vmlinuz");
            assertThat(r.exit()).as(r.output()).isZero();
            Peers.assertSameBytes(kernel, work.resolve("k1"));
            assertThat(running.await("node1", NodeState.KERNEL, java.time.Duration.ofSeconds(10)).state()).isEqualTo(NodeState.KERNEL);
        }
    }

    @Test
    @Tag("integration")
    void servesDebiansLoadersAsPxelinuxAsksForThem() throws Exception {
        Peers.require("atftp", "atftp");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(PxeBootTree.DEBIAN_PXELINUX), "install Debian package pxelinux");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(PxeBootTree.DEBIAN_LDLINUX), "install Debian package syslinux-common");
        Cluster cluster = loopbackCluster(Files.write(work.resolve("vmlinuz"), new byte[10]), Files.write(work.resolve("initrd"), new byte[10]));
        BootFileService service = new EmbeddedTftpProvider()
                .create(new ServiceContext(cluster, work, e -> { }, NetworkSeam.host(), Clock.systemUTC()));
        try (service) {
            service.start();
            String port = Integer.toString(service.endpoints().get("tftp").getPort());
            // pxelinux asks for tsize and a block size that fits its MTU
            for (var f : List.of(List.of("pxelinux.0", PxeBootTree.DEBIAN_PXELINUX.toString()),
                    List.of("ldlinux.c32", PxeBootTree.DEBIAN_LDLINUX.toString()))) {
                Path out = work.resolve(f.get(0) + ".out");
                var r = Peers.run(work, null, 30, "atftp", "--option", "tsize", "--option", "blksize 1456", "--get",
                        "-r", f.get(0), "-l", out.toString(), "127.0.0.1", port);
                assertThat(r.exit()).as(r.output()).isZero();
                Peers.assertSameBytes(Path.of(f.get(1)), out);
            }
            // then its configuration search: UUID, 01-<mac>, hexadecimal IP prefixes, default
            for (String name : List.of("pxelinux.cfg/12345678-1234-1234-1234-123456789abc", "pxelinux.cfg/7F000003",
                    "pxelinux.cfg/7F00000", "pxelinux.cfg/7")) {
                Path out = work.resolve("missing.out");
                var r = Peers.run(work, null, 30, "atftp", "--get", "-r", name, "-l", out.toString(), "127.0.0.1", port);
                assertThat(r.output()).as(name).contains("File not found");
            }
            Path out = work.resolve("default.out");
            var r = Peers.run(work, null, 30, "atftp", "--option", "tsize", "--option", "blksize 1456", "--get",
                    "-r", "pxelinux.cfg/default", "-l", out.toString(), "127.0.0.1", port);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(Files.readString(out)).isEqualTo(PxeConfig.pxelinuxDefault(cluster));
        }
    }

    /** A service that starts and stops and does nothing else. */
    record NoService(String name) implements io.netboot4j.core.spi.AddressAllocation, io.netboot4j.core.spi.RootExport {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}
