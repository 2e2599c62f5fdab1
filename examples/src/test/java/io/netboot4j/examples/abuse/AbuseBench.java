package io.netboot4j.examples.abuse;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.PeerBootStack;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;

/**
 * The abuse benchmark ({@code bench/abuse.sh}): N QEMU nodes boot from netboot4j's embedded
 * stack without and with a {@link Flooder} on the cluster network, and from dnsmasq +
 * nfs-ganesha with the same flood (same seed), in one run. Writes the report whose last lines
 * are the {@code nodes up under flood} and {@code ratio flood-slowdown} lines.
 *
 * <p>Arguments: the report file (default {@code bench/results/abuse.md}), then N (default 2).
 */
public final class AbuseBench {

    /** How long a node may take before it counts as not up. */
    private static final Duration NODE_LIMIT = Duration.ofMinutes(Integer.getInteger("bench.nodeLimitMinutes", 6));

    private AbuseBench() {
    }

    record Run(String stack, boolean flood, Map<String, Double> perNode, String loadBefore, String loadAfter,
               Map<String, Long> sent) {
        long up() {
            return perNode.values().stream().filter(v -> !v.isNaN()).count();
        }

        double mean() {
            return perNode.values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/abuse.md");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (String why : List.of(VirtualNode.unavailableReason(), PeerBootStack.unavailableReason(), BusyboxRoot.unavailableReason(),
                DebianKernel.unavailableReason())) {
            if (!why.isEmpty()) {
                System.err.println("abuse bench cannot run: " + why);
                System.exit(2);
            }
        }
        long seed = Long.getLong("abuse.seed", new Random().nextLong());
        System.out.println("abuse bench junk seed " + seed);
        Path work = Files.createTempDirectory("nb-bench-abuse-");
        DebianKernel kernel = DebianKernel.require();
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        Instant started = Instant.now();
        List<Run> runs = new ArrayList<>();
        // the peer's quiet boot is in bench/results/boot.md; -Dbench.peerQuiet=true adds it here
        List<String[]> plans = new ArrayList<>(List.of(new String[] {"netboot4j", "quiet"}, new String[] {"netboot4j", "flood"},
                new String[] {"dnsmasq+ganesha", "flood"}));
        if (Boolean.getBoolean("bench.peerQuiet")) {
            plans.add(new String[] {"dnsmasq+ganesha", "quiet"});
        }
        for (String[] plan : plans) {
            Run r = run(plan[0], plan[1].equals("flood"), count, seed, kernel, root, work.resolve(plan[0] + "-" + plan[1]));
            System.out.println(r);
            runs.add(r);
        }
        String report = report(runs, count, seed, Duration.between(started, Instant.now()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        Commands.run(Duration.ofMinutes(1), List.of("rm", "-rf", work.toString()));
    }

    static Run run(String stack, boolean flood, int count, long seed, DebianKernel kernel, BusyboxRoot root, Path work)
            throws Exception {
        root.clearReports();
        Files.createDirectories(work);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Map<String, Double> per = new LinkedHashMap<>();
        Map<String, Long> sent = Map.of();
        try (VirtualNetwork net = VirtualNetwork.create("nb-bench", "10.92.0.0/24")) {
            Cluster cluster = net.clusterBuilder("abuse")
                    .nodes("abusenode%d", count, "52:54:00:92:00:11", "10.92.0.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .workFolder(work.resolve("cluster"))
                    .build();
            AutoCloseable servers;
            if (stack.equals("netboot4j")) {
                servers = cluster.start();
            } else {
                Path tree = work.resolve("tftp");
                PxeBootTree.of(cluster).writeTo(tree);
                servers = PeerBootStack.start(net.namespace(), cluster, work.resolve("peer"), tree);
            }
            Flooder flooder = flood ? Flooder.attach(net, "10.92.0.250/24") : null;
            try (servers; flooder) {
                if (flooder != null) {
                    List<String> files = new ArrayList<>(List.of(cluster.boot().kernelFileName(), cluster.boot().ipxeBootFile(),
                            cluster.boot().biosBootFile()));
                    cluster.boot().initrdFileName().ifPresent(files::add);
                    flooder.start(cluster, files, seed, NODE_LIMIT.plusMinutes(1));
                    Thread.sleep(2000); // the flood is on before the first node asks
                }
                List<VirtualNode> nodes = new ArrayList<>();
                for (Node n : cluster.nodes()) {
                    nodes.add(net.powerOn(n, work.resolve(n.hostname() + ".console")));
                }
                for (VirtualNode v : nodes) {
                    Duration left = NODE_LIMIT.minus(v.uptime());
                    try {
                        VirtualNode.ConsoleLine line = v.awaitConsole(BusyboxRoot.WROTE_LINE, left.isNegative() ? Duration.ZERO : left);
                        per.put(v.name(), line.at().toMillis() / 1000.0);
                    } catch (TimeoutException e) {
                        per.put(v.name(), Double.NaN);
                        System.out.println(stack + (flood ? " under flood" : "") + ": " + v.name() + " not up after "
                                + NODE_LIMIT.toMinutes() + " min; console tail:\n" + v.consoleTail(8));
                    }
                }
                if (flooder != null) {
                    sent = flooder.sent();
                }
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        return new Run(stack, flood, per, loadBefore, loadAfter, sent);
    }

    static String report(List<Run> runs, int count, long seed, Duration took) {
        StringBuilder b = new StringBuilder();
        b.append("# Abuse benchmark: nodes booting while another host floods the head\n\n");
        b.append("Generated by `bench/abuse.sh` on ").append(Instant.now().toString(), 0, 16).append("Z (whole run ")
                .append(took.toSeconds()).append(" s), junk seed ").append(seed).append(".\n\n");
        b.append(count).append(" QEMU nodes (software emulation, iPXE, Debian's stock kernel and initrd, busybox root over NFSv3) ")
                .append("boot from netboot4j's embedded stack and from dnsmasq + nfs-ganesha + rpcbind, in one run. Under flood, ")
                .append("a separate host (its own namespace and address 10.92.0.250 on the cluster bridge) sends, from 2 s before the ")
                .append("first power-on until the nodes are done: junk DHCP (random, truncated, option-overloaded, huge option lengths; ")
                .append(Flooder.DHCP_PER_SECOND).append("/s, half broadcast), TFTP RRQs for the real boot files with blksize 65464 and ")
                .append("windowsize 64 from ").append(Flooder.TFTP_PORTS).append(" source ports, never ACKed or ACKed with wrong blocks, ")
                .append("and WRQs (").append(Flooder.TFTP_PER_SECOND).append("/s), ONC RPC over TCP to portmap, NFS and MOUNT (records ")
                .append("announcing 2 GiB, records cut short, valid calls with garbage arguments; ").append(Flooder.RPC_CONNECTIONS_PER_SECOND)
                .append(" connections/s, ").append(Flooder.RPC_KEPT).append(" kept open), random UDP to portmap (")
                .append(Flooder.RPC_DATAGRAMS_PER_SECOND).append("/s), and ").append(Flooder.SLOW_LORIS)
                .append(" slow-loris connections sending one byte a second. The junk comes from jqwik generators with the seed above. ")
                .append("A node that has not written its file into the NFS root ").append(NODE_LIMIT.toMinutes())
                .append(" min after power-on is not up. The flooder runs in the bench JVM beside the embedded servers.\n\n");
        b.append("The machine has 2 cores shared with other engineers compiling and testing; `/proc/loadavg` before and after each run:\n\n");
        b.append("| stack | flood | per node (s) | nodes up | mean (s) | load before | load after | sent |\n|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            List<String> per = new ArrayList<>();
            r.perNode().forEach((k, v) -> per.add(v.isNaN() ? k + " not up" : String.format(Locale.ROOT, "%s %.1f", k, v)));
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d of %d | %.1f | %s | %s | %s |%n", r.stack(), r.flood() ? "yes" : "no",
                    String.join(", ", per), r.up(), count, r.mean(), r.loadBefore(), r.loadAfter(), r.sent().isEmpty() ? "" : r.sent()));
        }
        Run quiet = find(runs, "netboot4j", false);
        Run flooded = find(runs, "netboot4j", true);
        Run peer = find(runs, "dnsmasq+ganesha", true);
        double ratio = flooded.up() == count ? flooded.mean() / quiet.mean() : Double.NaN;
        b.append('\n');
        b.append("Slowdown: mean seconds per node under flood / without flood, netboot4j (target <= 1.3; NaN if a node was not up).\n\n");
        b.append(String.format(Locale.ROOT, "nodes up under flood netboot4j: %d of %d%n", flooded.up(), count));
        b.append(String.format(Locale.ROOT, "nodes up under flood dnsmasq+ganesha: %d of %d%n", peer.up(), count));
        b.append(String.format(Locale.ROOT, "ratio flood-slowdown netboot4j: %.2f%n", ratio));
        return b.toString();
    }

    private static Run find(List<Run> runs, String stack, boolean flood) {
        return runs.stream().filter(r -> r.stack().equals(stack) && r.flood() == flood).findFirst().orElseThrow();
    }
}
