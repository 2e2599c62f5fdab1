package io.netboot4j.dhcp.bench;

import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.dhcp.EmbeddedDhcpServer;
import io.netboot4j.dhcp.KeaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's cluster (bench/dhcp.sh): 1000 static hosts on br0, 10.80.0.0/20, head
 * 10.80.0.1. {@code render <folder>} writes the MAC list for perfdhcp, a kea-dhcp4
 * configuration and a dnsmasq configuration of the same hosts; {@code serve <folder>} runs
 * the embedded server in the JVM's network (the script starts the JVM inside the head's
 * namespace) until it is terminated, then prints its counters.
 */
public final class DhcpBench {

    static final int HOSTS = 1000;

    private DhcpBench() {
    }

    static Cluster cluster() {
        return Cluster.builder("bench")
                .network(n -> n.interfaceName("br0").subnet("10.80.0.0/20").server("10.80.0.1").domain("bench")
                        .serverName("benchserver"))
                .nodes("node%04d", HOSTS, "02:10:00:00:00:01", "10.80.1.1")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/bench"))
                .networkSeam(NetworkSeam.host())
                .build();
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[1]);
        Files.createDirectories(folder);
        Cluster cluster = cluster();
        switch (args[0]) {
            case "render" -> render(cluster, folder);
            case "serve" -> serve(cluster, folder);
            default -> throw new IllegalArgumentException("usage: DhcpBench render|serve <folder>");
        }
    }

    static void render(Cluster cluster, Path folder) throws Exception {
        List<String> macs = new ArrayList<>();
        List<String> dnsmasq = new ArrayList<>(List.of("interface=br0", "bind-interfaces", "dhcp-authoritative", "quiet-dhcp",
                "dhcp-range=10.80.0.0,static,255.255.240.0,12h", "dhcp-leasefile=" + folder.resolve("dnsmasq.leases"),
                "dhcp-option=option:router,10.80.0.1", "dhcp-option=option:dns-server,10.80.0.1",
                "dhcp-option=option:domain-name,bench", "dhcp-option=option:root-path,10.80.0.1:/nfsroot/bench",
                "dhcp-boot=pxelinux.0,benchserver,10.80.0.1", "dhcp-ignore=tag:!known"));
        for (Node n : cluster.nodes()) {
            macs.add(n.mac().toString());
            dnsmasq.add("dhcp-host=" + n.mac() + "," + Ipv4.format(n.address()) + "," + n.hostname());
        }
        Files.write(folder.resolve("macs"), macs);
        Files.write(folder.resolve("dnsmasq.conf"), dnsmasq);
        // Kea as our provider renders it, quiet like the others (its INFO level logs every lease).
        String kea = KeaConfig.render(cluster, folder.resolve("kea-leases4.csv"), 67).replace("\"severity\": \"INFO\"", "\"severity\": \"WARN\"");
        Files.writeString(folder.resolve("kea-dhcp4.conf"), kea);
    }

    static void serve(Cluster cluster, Path folder) throws Exception {
        ServiceContext ctx = new ServiceContext(cluster, folder, BootEventListener.none(), NetworkSeam.host(), Clock.systemUTC());
        EmbeddedDhcpServer server = new EmbeddedDhcpServer(ctx);
        server.start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("COUNTERS " + server.counters());
            server.close();
            stop.countDown();
        }));
        System.out.println("READY");
        System.out.flush();
        stop.await();
    }
}
