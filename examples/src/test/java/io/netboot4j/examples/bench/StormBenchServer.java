package io.netboot4j.examples.bench;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.RunningCluster;
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
 * (or end of input) prints {@code peak-heap <bytes>} (heap in use, sampled every 10 ms) and exits.
 *
 * <p>Arguments: subnet, node count, root folder, kernel, initrd, work folder.
 */
public final class StormBenchServer {

    private StormBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Ipv4Network subnet = Ipv4Network.parse(args[0]);
        Cluster cluster = StormBench.cluster(Cluster.builder("storm")
                        .network(n -> n.interfaceName("br0").subnet(subnet).server(subnet.host(1))),
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
        try (RunningCluster running = cluster.start()) {
            System.out.println("ready " + Ipv4.format(cluster.network().server()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null && !line.equals("stop");) {
                if (line.equals("reset")) {
                    peak.set(0);
                }
            }
        }
        sampler.interrupt();
        System.out.println("peak-heap " + peak.get());
        System.out.flush();
    }
}
