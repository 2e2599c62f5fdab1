package io.netboot4j.examples;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.NodeStatus;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.Pxelinux;
import io.netboot4j.testkit.VirtualNetwork;
import io.netboot4j.testkit.VirtualNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Boots N virtual nodes diskless from netboot4j's embedded stack and shows the per-node
 * status table live until all are up, then the time each took.
 *
 * <p>Everything happens inside a fresh network namespace: a bridge carries the head's
 * address {@code 10.96.0.1/24}; the embedded DHCP, TFTP and NFS servers open their sockets
 * there; QEMU machines (software emulation, iPXE network ROM) PXE-boot Debian's stock kernel
 * and initrd, mount a tiny busybox root over NFS, write a file naming themselves, and
 * power off. Nothing leaves the namespace.
 *
 * <p>Run as root on Debian with {@code qemu-system-x86 ipxe-qemu pxelinux syslinux-common
 * linux-image-amd64 busybox-static iproute2}; {@code bin/demo} checks and installs them.
 * Arguments: the number of nodes (default 2, at most 20).
 */
public final class VirtualClusterDemo {

    private VirtualClusterDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optionally the number of nodes
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        if (count < 1 || count > 20) {
            System.err.println("VirtualClusterDemo: give between 1 and 20 nodes, not " + count);
            System.exit(2);
        }
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            System.err.println("VirtualClusterDemo cannot run here:");
            missing.forEach(m -> System.err.println("  - " + m));
            System.exit(3);
        }
        System.exit(run(count, Duration.ofMinutes(15), System.out) ? 0 : 1);
    }

    /** What this machine lacks for the demo, one sentence per missing piece (empty: ready). */
    public static List<String> missing() {
        List<String> out = new ArrayList<>();
        for (String why : List.of(VirtualNode.unavailableReason(), BusyboxRoot.unavailableReason(),
                DebianKernel.unavailableReason(), Pxelinux.unavailableReason())) {
            if (!why.isEmpty() && !out.contains(why)) {
                out.add(why);
            }
        }
        return out;
    }

    /**
     * Boots {@code count} nodes at once and prints the live table to {@code out}.
     *
     * @return whether every node came up before {@code timeout}
     */
    public static boolean run(int count, Duration timeout, PrintStream out) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("netboot4j-demo-");
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        DebianKernel kernel = DebianKernel.require();
        boolean terminal = System.console() != null;
        try (VirtualNetwork net = VirtualNetwork.create("nb-demo", "10.96.0.0/24")) {
            Cluster cluster = net.clusterBuilder("demo")
                    .nodes("demonode%d", count, "52:54:00:96:00:11", "10.96.0.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .workFolder(work.resolve("cluster"))
                    .build();
            out.printf("netboot4j demo: %d virtual node(s), kernel %s, busybox root %s, namespace %s%n", count, kernel.version(),
                    root.path(), net.namespace().name());
            Map<String, Map<NodeState, Instant>> reached = new ConcurrentHashMap<>();
            try (RunningCluster running = cluster.start()) {
                running.addListener(e -> record(running, reached));
                Map<String, VirtualNode> machines = new LinkedHashMap<>();
                for (Node n : cluster.nodes()) {
                    machines.put(n.hostname(), net.powerOn(n, work.resolve(n.hostname() + ".console")));
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                boolean allUp;
                do {
                    Thread.sleep(2000);
                    allUp = running.statuses().stream().allMatch(s -> s.state() == NodeState.UP);
                    if (terminal) {
                        out.print("\u001B[H\u001B[2J");
                    }
                    out.printf("%n-- %s%n%s", Instant.now().toString().substring(11, 19), running.statusTable());
                } while (!allUp && System.nanoTime() < deadline);
                out.println();
                out.println(allUp ? "All nodes are UP (the NFS server saw each one's first write to the root)."
                        : "Not every node came up within " + timeout + ".");
                out.println();
                out.println(timings(cluster, machines, reached));
                for (var r : root.reports().values()) {
                    out.printf("%s wrote %s: address %s, kernel command line: %s%n", r.name(), root.path().relativize(r.file()),
                            r.address(), r.cmdline());
                }
                if (!allUp) {
                    for (VirtualNode m : machines.values()) {
                        out.println("console of " + m.name() + ":\n" + m.consoleTail(15));
                    }
                }
                return allUp;
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void record(RunningCluster running, Map<String, Map<NodeState, Instant>> reached) {
        Instant now = Instant.now();
        for (NodeStatus s : running.statuses()) {
            reached.computeIfAbsent(s.node().hostname(), k -> new ConcurrentHashMap<>()).putIfAbsent(s.state(), now);
        }
    }

    /** Seconds from power-on to each state, one row per node. */
    static String timings(Cluster cluster, Map<String, VirtualNode> machines, Map<String, Map<NodeState, Instant>> reached) {
        List<NodeState> states = List.of(NodeState.ADDRESSED, NodeState.LOADING, NodeState.KERNEL, NodeState.ROOT_MOUNTED, NodeState.UP);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s", "NODE"));
        for (NodeState s : states) {
            b.append(String.format(Locale.ROOT, "%14s", s.name()));
        }
        b.append("   (seconds after power-on)\n");
        for (Node n : cluster.nodes()) {
            VirtualNode m = machines.get(n.hostname());
            Map<NodeState, Instant> r = reached.getOrDefault(n.hostname(), new EnumMap<>(NodeState.class));
            b.append(String.format(Locale.ROOT, "%-12s", n.hostname()));
            for (NodeState s : states) {
                Instant at = r.get(s);
                b.append(at == null || m == null ? String.format(Locale.ROOT, "%14s", "-")
                        : String.format(Locale.ROOT, "%14.1f", Duration.between(m.startedAt(), at).toMillis() / 1000.0));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

}
