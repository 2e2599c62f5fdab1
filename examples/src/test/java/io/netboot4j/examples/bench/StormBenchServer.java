package io.netboot4j.examples.bench;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.tftp.EmbeddedTftpProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded stack of {@code bench/storm.sh} in a JVM of its own, so its CPU time, RSS and
 * heap are measured apart from the simulator's. Started with {@code ip netns exec} inside
 * the bench's namespace (its sockets open there through the host seam), it serves the same
 * cluster as {@link StormBench#cluster}, prints {@code ready}, and on a line {@code stop}
 * (or end of input) prints {@code peak-heap <bytes>} (heap in use, sampled every 10 ms) and
 * {@code live-heap <bytes>} (heap in use after a full collection, the cluster still running:
 * what the stack keeps for its nodes once they are up) and exits.
 *
 * <p>Arguments: subnet, node count, root folder, kernel, initrd, work folder, and optionally
 * {@code tftp-only}: boot files over TFTP only (the iPXE script names TFTP paths, no HTTP
 * server), the protocol dnsmasq serves.
 */
public final class StormBenchServer {

    private StormBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Ipv4Network subnet = Ipv4Network.parse(args[0]);
        ClusterBuilder builder = Cluster.builder("storm").network(n -> n.interfaceName("br0").subnet(subnet).server(subnet.host(1)));
        if (args.length > 6 && args[6].equals("tftp-only")) {
            builder.bootFiles(EmbeddedTftpProvider.withoutHttp(PxeBootTree::of, b -> { }));
        }
        Cluster cluster = StormBench.cluster(builder,
                Integer.parseInt(args[1]), subnet, Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), Path.of(args[5]));
        AtomicLong peak = new AtomicLong();
        var memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long live;
        try (RunningCluster running = cluster.start()) {
            System.out.println("ready " + Ipv4.format(cluster.network().server()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null && !line.equals("stop");) {
                if (line.equals("reset")) {
                    peak.set(0);
                }
            }
            memory.gc();
            live = memory.getHeapMemoryUsage().getUsed();
        }
        sampler.interrupt();
        System.out.println("peak-heap " + peak.get());
        System.out.println("live-heap " + live);
        System.out.flush();
    }
}
