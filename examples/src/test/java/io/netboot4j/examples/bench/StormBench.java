package io.netboot4j.examples.bench;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.testkit.BusyboxRoot;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.DebianKernel;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.PeerBootStack;
import io.netboot4j.testkit.StormPhase;
import io.netboot4j.testkit.StormResult;
import io.netboot4j.testkit.StormSimulator;
import io.netboot4j.testkit.VirtualNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/storm.sh}: boot storms of {@link StormSimulator} nodes against netboot4j's
 * embedded stack (in a JVM of its own, {@link StormBenchServer}; also with {@code -Xmx256m})
 * and against dnsmasq + nfs-ganesha + rpcbind ({@link PeerBootStack}), for each node count
 * and loss, each run in a fresh namespace. Measures the simulator's wall time and per-node
 * times, and the server processes' CPU seconds (during the storm) and peak RSS (from
 * {@code /proc}), and the embedded JVM's peak heap in use. Writes a Markdown report ending
 * with the ratio lines.
 *
 * <p>Arguments: the report file. Properties: {@code storm.matrix} ({@code quick}, the default:
 * the runs every report line needs, 500 nodes and 100 for the memory per node; {@code full}:
 * 100, 500 and 1000 nodes, 0% and 2% loss, every stack), or {@code storm.nodes},
 * {@code storm.loss} and {@code storm.stacks} (every combination of those), or {@code storm.runs}
 * ({@code stack:nodes:loss[:minutes],...}, in that order, minutes a deadline of that run's own);
 * {@code storm.deadlineMinutes} (default 30: nodes not up by then fail; dnsmasq with loss gets
 * {@value #LOSSY_PEER_MINUTES} minutes in the matrices); {@code storm.keep} (keep the work folder: logs);
 * {@code storm.workingSet} ({@code debian}, the default, or {@code busybox}: the recorded boot each node replays);
 * {@code storm.serverJavaOpts} (options for the embedded stack's JVM, separated by spaces, e.g. a flight recording).
 *
 * <p>Stacks: {@code netboot4j} (its default: kernel and initrd over HTTP, as its iPXE script
 * names them), {@code netboot4j-xmx256m} (the same with {@code -Xmx256m}),
 * {@code netboot4j-tftp-only} (boot files over lock-step TFTP only, the protocol dnsmasq
 * serves), {@code dnsmasq+ganesha}.
 */
public final class StormBench {

    static final String OURS = "netboot4j";
    static final String OURS_256 = "netboot4j-xmx256m";
    static final String OURS_TFTP = "netboot4j-tftp-only";
    static final String PEER = "dnsmasq+ganesha";
    /**
     * The quick matrix's deadline for dnsmasq at 2% loss: dnsmasq ignores a repeated ACK and
     * sends a lost block again only after its own 2 s timer, so each lost block or ACK costs
     * a node 2 s; lock-step TFTP of the 39 MB kernel and initrd (27 500 blocks, about 1 100
     * of them lost one way or the other at 2% each way) takes a node over half an hour.
     */
    static final int LOSSY_PEER_MINUTES = 5;
    /**
     * The runs every line of the report needs: the 500-node rows; at 100 nodes, the memory per
     * node (by difference with 500) and the same-protocol comparison (lock-step TFTP of the real
     * files takes minutes per run at 500 nodes: that one is in the full matrix).
     */
    static final List<String> QUICK = List.of(OURS + ":500:0", OURS_256 + ":500:0", PEER + ":500:0", OURS + ":500:0.02",
            OURS_256 + ":500:0.02", PEER + ":500:0.02:" + LOSSY_PEER_MINUTES, OURS + ":100:0", OURS_TFTP + ":100:0", PEER + ":100:0");
    private static final Ipv4Network SUBNET = Ipv4Network.parse("10.88.0.0/21");

    record Run(String stack, int nodes, double loss, StormResult result, double cpuSeconds, long peakRss, long peakHeap,
            long liveHeap, String loadBefore, String loadAfter) {
    }

    private StormBench() {
    }

    /** The bench's cluster: {@code count} nodes from .11 on, the kernel and initrd, the root read-write. */
    static Cluster cluster(ClusterBuilder b, int count, Ipv4Network subnet, Path root, Path kernel, Path initrd, Path work) {
        return b.nodes("stormnode%d", count, "52:54:00:88:00:01", Ipv4.format(subnet.host(11)))
                .boot(p -> p.kernel(kernel).initrd(initrd).append("console=ttyS0"))
                .rootFilesystem(r -> r.path(root).readWrite())
                .workFolder(work)
                .build();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/storm.md");
        String matrix = System.getProperty("storm.matrix", "quick");
        boolean full = matrix.equals("full");
        List<Integer> counts = Arrays.stream(System.getProperty("storm.nodes", full ? "100,500,1000" : "").split(","))
                .filter(c -> !c.isBlank()).map(Integer::parseInt).toList();
        List<Double> losses = Arrays.stream(System.getProperty("storm.loss", "0,0.02").split(",")).map(Double::parseDouble).toList();
        List<String> stacks = List.of(System.getProperty("storm.stacks", String.join(",", OURS, OURS_256, OURS_TFTP, PEER)).split(","));
        for (String why : List.of(PeerBootStack.unavailableReason(), BusyboxRoot.unavailableReason(), DebianKernel.unavailableReason())) {
            if (!why.isEmpty()) {
                System.err.println("storm bench cannot run: " + why);
                System.exit(2);
            }
        }
        Path work = Files.createTempDirectory("nb-bench-storm-");
        DebianKernel kernel = DebianKernel.require();
        boolean debian = !"busybox".equals(System.getProperty("storm.workingSet", "debian"));
        // storm.runs (stack:nodes:loss,...) picks runs in that order; otherwise every combination
        List<String> plan = new ArrayList<>();
        // runs on request (storm.runs, or storm.nodes outside the full matrix) go to a section of their own
        String onRequest = System.getProperty("storm.runs") != null ? "RUNS=" + System.getProperty("storm.runs")
                : !counts.isEmpty() && !full ? "NODES=" + counts + " LOSS=" + losses + " STACKS=" + stacks : null;
        if (System.getProperty("storm.runs") != null) {
            matrix = "runs " + System.getProperty("storm.runs");
            plan.addAll(List.of(System.getProperty("storm.runs").split(",")));
        } else if (counts.isEmpty()) {
            plan.addAll(QUICK);
        } else {
            if (!full) {
                matrix = "nodes " + counts + ", loss " + losses + ", stacks " + stacks;
            }
            for (int n : counts) {
                for (double loss : losses) {
                    for (String stack : stacks) {
                        plan.add(stack + ":" + n + ":" + loss + (stack.equals(PEER) && loss > 0 ? ":" + LOSSY_PEER_MINUTES : ""));
                    }
                }
            }
        }
        Duration deadline = Duration.ofMinutes(Long.getLong("storm.deadlineMinutes", 30));
        List<Run> runs = new ArrayList<>();
        Instant started = Instant.now();
        for (String entry : plan) {
            String[] f = entry.split(":");
            String stack = f[0];
            int n = Integer.parseInt(f[1]);
            double loss = Double.parseDouble(f[2]);
            // stack:nodes:loss[:deadline minutes]
            Duration limit = f.length > 3 ? Duration.ofMinutes(Math.min(deadline.toMinutes(), Long.parseLong(f[3]))) : deadline;
            // no '+' in the path: ganesha's configuration takes the exported path unquoted
            Path runWork = work.resolve(stack.replace('+', '-') + "-" + n + "-" + loss);
            Run r = run(stack, n, loss, limit, kernel, root(runWork, debian), debian, runWork);
            runs.add(r);
            System.out.printf(Locale.ROOT, "%s n=%d loss=%.2f: %s; cpu %.1f s, rss %d MiB, heap %d MiB, live heap %d MiB%n", stack, n,
                    loss, r.result().summary(), r.cpuSeconds(), r.peakRss() >> 20, r.peakHeap() >> 20, r.liveHeap() >> 20);
            write(out, report(runs, matrix, describe(kernel), workingSet(debian), Duration.between(started, Instant.now())), onRequest);
        }
        String report = report(runs, matrix, describe(kernel), workingSet(debian), Duration.between(started, Instant.now()));
        write(out, report, onRequest);
        System.out.println(report);
        if (Boolean.getBoolean("storm.keep")) {
            System.out.println("kept " + work);
        } else {
            Commands.run(Duration.ofMinutes(2), List.of("rm", "-rf", work.toString()));
        }
    }

    /**
     * A fresh root for one run: an empty folder the simulator lays the Debian boot's files out
     * in, or a busybox root for the busybox boot's working set.
     */
    static Path root(Path work, boolean debian) throws IOException {
        Path root = work.resolve("root");
        if (debian) {
            return Files.createDirectories(root);
        }
        return BusyboxRoot.create(root).path();
    }

    static Run run(String stack, int count, double loss, Duration deadline, DebianKernel kernel, Path root, boolean debian, Path work)
            throws Exception {
        Files.createDirectories(work);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        try (VirtualNetwork net = VirtualNetwork.create("nb-sbench", SUBNET.toString())) {
            Cluster cluster = cluster(net.clusterBuilder("storm"), count, SUBNET, root, kernel.kernel(), kernel.initrd(),
                    work.resolve("cluster"));
            Process ours = null;
            AutoCloseable peer = null;
            if (stack.startsWith(OURS)) {
                ours = startOurs(net.namespace(), stack, count, root, kernel, work);
            } else {
                Path tree = work.resolve("tftp");
                PxeBootTree.of(cluster).writeTo(tree);
                peer = PeerBootStack.start(net.namespace(), cluster, work.resolve("peer"), tree);
            }
            try {
                double cpu0 = cpuSeconds(net.namespace());
                StormSimulator.Builder storm = StormSimulator.builder(cluster).loss(loss).seed(42).deadline(deadline);
                StormResult r = (debian ? storm.debianBoot() : storm).build().run(net);
                double cpu = cpuSeconds(net.namespace()) - cpu0;
                long rss = peakRss(net.namespace());
                long[] heap = ours == null ? new long[2] : stopOurs(ours);
                return new Run(stack, count, loss, r, cpu, rss, heap[0], heap[1], loadBefore,
                        Files.readString(Path.of("/proc/loadavg")).strip());
            } finally {
                if (ours != null && ours.isAlive()) {
                    ours.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                if (peer != null) {
                    peer.close();
                }
            }
        }
    }

    private static Process startOurs(NetworkNamespace ns, String stack, int count, Path root, DebianKernel kernel, Path work)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (stack.equals(OURS_256)) {
            cmd.add("-Xmx256m");
        }
        // storm.serverJavaOpts: options for the embedded stack's JVM, e.g. a flight recording of it
        cmd.addAll(Arrays.stream(System.getProperty("storm.serverJavaOpts", "").split(" ")).filter(o -> !o.isBlank()).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StormBenchServer.class.getName(), SUBNET.toString(),
                Integer.toString(count), root.toString(), kernel.kernel().toString(), kernel.initrd().toString(),
                work.resolve("cluster").toString(), stack.equals(OURS_TFTP) ? "tftp-only" : "default"));
        Process p = new ProcessBuilder(ns.wrap(cmd.toArray(String[]::new))).redirectError(work.resolve("server.err").toFile()).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        while (line != null && line.startsWith("[")) {
            line = in.readLine(); // the JVM's own log lines (-Xlog, a flight recording's start) before ours
        }
        if (line == null || !line.startsWith("ready")) {
            p.destroyForcibly();
            throw new IllegalStateException("the embedded stack did not start: " + line + "; " + Files.readString(work.resolve("server.err")));
        }
        return p;
    }

    /** Stops the embedded stack; its peak heap in use and its heap in use after a full collection. */
    private static long[] stopOurs(Process p) throws IOException, InterruptedException {
        try (PrintStream ps = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
            ps.println("stop");
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long[] heap = new long[2];
        for (String line; (line = in.readLine()) != null;) {
            if (line.startsWith("peak-heap ")) {
                heap[0] = Long.parseLong(line.substring(10).strip());
            } else if (line.startsWith("live-heap ")) {
                heap[1] = Long.parseLong(line.substring(10).strip());
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return heap;
    }

    /** The processes in the namespace: the servers (the simulator's JVM stays in the host's). */
    private static List<Long> pids(NetworkNamespace ns) {
        return Commands.run(Duration.ofSeconds(10), List.of("ip", "netns", "pids", ns.name())).output().lines()
                .map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong).toList();
    }

    private static double cpuSeconds(NetworkNamespace ns) {
        double ticks = 0;
        for (long pid : pids(ns)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        }
        return ticks / 100.0;
    }

    private static long peakRss(NetworkNamespace ns) {
        long sum = 0;
        for (long pid : pids(ns)) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (l.startsWith("VmHWM:")) {
                        sum += Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended meanwhile
            }
        }
        return sum;
    }

    /** The kernel and initrd as the report names them. */
    static String describe(DebianKernel kernel) {
        return kernel.version() + " (" + kernel.kernel().toFile().length() + " bytes) and initrd (" + kernel.initrd().toFile().length()
                + " bytes)";
    }

    /** The working set the nodes replay, as the report names it. */
    static String workingSet(boolean debian) {
        return debian ? "the recorded working set of a Debian root's boot (bookworm, systemd; testkit's working-set-debian.txt: "
                + "3,643 calls a node, GETATTR/LOOKUP/ACCESS/READLINK/READDIRPLUS and READ 24.4 MB, CREATE/WRITE/MKDIR/SETATTR of the "
                + "node's own files; its files laid out in an empty root before each run)"
                : "the recorded working set of a busybox-root boot (LOOKUP/ACCESS/GETATTR/READ ~1.9 MB, MKDIR/CREATE/WRITE/RENAME)";
    }

    /** The heading of a section of runs on request ({@code RUNS=...}), kept when the matrices write the file. */
    static final String ON_REQUEST = "## Runs on request: ";

    /** Where a report's closing part starts: the paragraph before the ratio lines, which end the file. */
    static final String CLOSING = "The `ratio` lines compare";

    /**
     * Writes {@code report} to {@code out}: a matrix's report replaces the file's main part and
     * keeps its sections of runs on request; runs on request ({@code onRequest} names them)
     * replace or add their own section (without closing lines) and keep the rest. Sections go
     * before the main part's closing paragraph, so the file still ends with the ratio lines.
     */
    static void write(Path out, String report, String onRequest) throws IOException {
        String before = Files.exists(out) ? Files.readString(out) : "";
        Files.writeString(out, merge(before, report, onRequest));
    }

    /** The file's new text: see {@link #write}. */
    static String merge(String before, String report, String onRequest) {
        Map<String, String> sections = new LinkedHashMap<>();
        StringBuilder main = new StringBuilder();
        int at = 0;
        while (at < before.length()) {
            int heading = before.indexOf(ON_REQUEST, at);
            if (heading < 0) {
                main.append(before, at, before.length());
                break;
            }
            main.append(before, at, heading);
            int next = before.indexOf(ON_REQUEST, heading + 1);
            int closing = before.indexOf(CLOSING, heading);
            int end = Math.min(next < 0 ? before.length() : next, closing < 0 ? before.length() : closing);
            String section = before.substring(heading, end);
            sections.put(section.lines().findFirst().orElse(""), section.strip() + "\n\n");
            at = end;
        }
        String text = main.toString();
        if (onRequest == null) {
            text = report;
        } else {
            String heading = ON_REQUEST + "`" + onRequest + "`";
            int from = report.indexOf("Generated by");
            int to = report.indexOf(CLOSING);
            sections.put(heading, heading + "\n\n" + report.substring(from, to < 0 ? report.length() : to).strip() + "\n\n");
        }
        int closing = text.indexOf(CLOSING);
        int cut = closing < 0 ? text.length() : closing;
        StringBuilder b = new StringBuilder(text.substring(0, cut));
        if (!b.isEmpty() && !b.toString().endsWith("\n\n")) {
            b.append(b.toString().endsWith("\n") ? "\n" : "\n\n");
        }
        sections.values().forEach(b::append);
        return b.append(text.substring(cut)).toString();
    }

    /** The report: the table of {@code runs} of {@code matrix}, the memory per node, the ratio lines. */
    static String report(List<Run> runs, String matrix, String kernel, String workingSet, Duration took) {
        StringBuilder b = new StringBuilder();
        b.append("# Storm benchmark: simulated nodes booting at once, netboot4j vs dnsmasq + nfs-ganesha + rpcbind\n\n");
        b.append("Generated by `bench/storm.sh` on ").append(Instant.now().toString(), 0, 16).append("Z (whole run ")
                .append(took.toSeconds()).append(" s, matrix: ").append(matrix).append(") on ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs (load average before/after each run in the table).\n\n");
        b.append("Each run: a fresh namespace with the servers' bridge, the nodes' own namespace joined to it by a veth carrying ")
                .append("every node's address; `StormSimulator` boots all nodes at once, each as iPXE and then the initramfs would: ")
                .append("iPXE's DHCP exchange, the iPXE script, Debian's kernel ").append(kernel)
                .append(" as the script names them, klibc ipconfig's DHCP exchange, portmap + MOUNT + NFSv3 over TCP, ")
                .append("and ").append(workingSet).append(". ")
                .append("Every file is checked (CRC-32C against the source, READs against the exported file, writes read back). ")
                .append("Loss is injected on the nodes' side, each direction, seeded (42). ")
                .append("`netboot4j`: embedded DHCP + TFTP + HTTP + NFS/MOUNT/portmap in one JVM of its own, default configuration: ")
                .append("its iPXE script (over TFTP) names kernel and initrd over HTTP. `netboot4j-xmx256m`: the same with `-Xmx256m`. ")
                .append("`netboot4j-tftp-only`: the embedded stack without HTTP, kernel and initrd over lock-step TFTP at the ")
                .append("simulated iPXE's blksize 1432, the protocol dnsmasq serves. ")
                .append("`dnsmasq+ganesha`: dnsmasq 2.90 (DHCP + TFTP of the same tree from `PxeBootTree.of`, `--tftp-max` and ")
                .append("`--dhcp-lease-max` raised to twice the node count) and nfs-ganesha 4.3 (VFS, NFSv3) with its own rpcbind. ")
                .append("The simulator runs in a third JVM on the same CPUs.\n\n");
        b.append("Server CPU: user + system seconds of every process in the servers' namespace during the storm. Peak RSS: ")
                .append("sum of `VmHWM` of those processes. Peak heap: heap in use in the embedded stack's JVM, sampled every 10 ms. ")
                .append("Live heap: heap in use after a full collection once the storm is over, the stack still serving its nodes.\n\n");
        b.append("| stack | nodes | loss | wall (s) | p50 (s) | p95 (s) | p99 (s) | max (s) | failed | retrans. | server CPU (s) ")
                .append("| peak RSS (MiB) | peak heap (MiB) | live heap (MiB) | median phase ends (s): DHCP, files, DHCP 2, mount, up ")
                .append("| load before → after |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            StormResult s = r.result();
            List<String> phases = new ArrayList<>();
            for (StormPhase ph : StormPhase.values()) {
                Duration d = s.medianPhaseEnds().get(ph);
                phases.add(d == null ? "-" : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0));
            }
            boolean ours = r.stack().startsWith(OURS);
            List<String> up = new ArrayList<>();
            for (int p : new int[] {50, 95, 99, 100}) {
                // percentiles of the nodes that came up: none when none did
                up.add(s.failed().size() == s.nodes().size() ? "-" : String.format(Locale.ROOT, "%.1f", sec(s.percentile(p))));
            }
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f%% | %.1f | %s | %s | %d | %.1f | %d | %s | %s | %s | %s → %s |%n",
                    r.stack(), r.nodes(), r.loss() * 100, sec(s.wall()), String.join(" | ", up),
                    s.failed().isEmpty() ? "0" : s.failed().size() + " " + s.failureReasons(), s.retransmissions(), r.cpuSeconds(),
                    r.peakRss() >> 20, ours ? Long.toString(r.peakHeap() >> 20) : "-", ours ? Long.toString(r.liveHeap() >> 20) : "-",
                    String.join(", ", phases), loadAverages(r.loadBefore()), loadAverages(r.loadAfter())));
        }
        b.append('\n');
        perNode(b, runs);
        for (int n : runs.stream().map(Run::nodes).distinct().sorted().toList()) {
            Run sameProtocol = find(runs, OURS_TFTP, n, 0);
            Run peer = find(runs, PEER, n, 0);
            if (sameProtocol != null && peer != null) {
                b.append(String.format(Locale.ROOT, "Same protocol (kernel and initrd over lock-step TFTP from both stacks), %d nodes, 0%% loss: "
                        + "dnsmasq+ganesha %.1f s / netboot4j-tftp-only %.1f s = %.2f.%n%n", n, sec(peer.result().wall()),
                        sec(sameProtocol.result().wall()), sec(peer.result().wall()) / sec(sameProtocol.result().wall())));
            }
        }
        for (Run r : runs) {
            long cut = r.result().failed().stream().filter(o -> o.failure().startsWith("not up within the storm's deadline")).count();
            if (cut > 0) {
                b.append(String.format(Locale.ROOT, "%s, %d nodes, %.0f%% loss: %d nodes not up when the run's deadline cut it at %.0f s: "
                        + "its wall is at least that, and a ratio computed with it is a lower bound.%n%n", r.stack(), r.nodes(), r.loss() * 100,
                        cut, sec(r.result().wall())));
            }
        }
        Run ours500 = find(runs, OURS, 500, 0);
        Run small500 = find(runs, OURS_256, 500, 0);
        if (ours500 != null && small500 != null) {
            b.append(String.format(Locale.ROOT, "Peak heap: the `peak heap` line is the default-heap run's (%d MiB in use at its peak); with "
                    + "the JVM's default maximum (a quarter of the machine's memory) the collector lets garbage pile up before it runs, "
                    + "so that figure counts garbage. With `-Xmx256m` the same 500-node storm ran with %d of 500 failed in %.1f s "
                    + "(peak %d MiB in use), and %d MiB stay live once the nodes are up.%n%n", ours500.peakHeap() >> 20,
                    small500.result().failed().size(), sec(small500.result().wall()), small500.peakHeap() >> 20, ours500.liveHeap() >> 20));
        }
        b.append("The `ratio` lines compare the `netboot4j` row (its default configuration, kernel and initrd over HTTP) with ")
                .append("`dnsmasq+ganesha` (TFTP, the only protocol dnsmasq serves): each stack booting nodes the way it does out of ")
                .append("the box, which is what the issue measures; the same-protocol figure above is the TFTP engine alone against dnsmasq's.\n\n");
        ratio(b, runs, 500, 0, "storm-500");
        ratio(b, runs, 500, 0.02, "storm-500-loss2");
        failed(b, runs, 500, 0, "storm-500");
        failed(b, runs, 500, 0.02, "storm-500-loss2");
        runs.stream().filter(r -> r.stack().equals(OURS) && r.nodes() == 500 && r.loss() == 0).findFirst()
                .ifPresent(r -> b.append("peak heap MiB storm-500 netboot4j: ").append(r.peakHeap() >> 20).append('\n'));
        return b.toString();
    }

    /** The 1-, 5- and 15-minute load averages of a {@code /proc/loadavg} line. */
    private static String loadAverages(String loadavg) {
        return String.join(" ", Arrays.asList(loadavg.split(" ")).subList(0, 3));
    }

    private static void perNode(StringBuilder b, List<Run> runs) {
        List<Integer> counts = runs.stream().filter(r -> r.loss() == 0).map(Run::nodes).distinct().sorted().toList();
        if (counts.size() < 2) {
            return;
        }
        int lo = counts.getFirst();
        int hi = counts.getLast();
        b.append("Memory per simulated node, by difference (0% loss; (value at ").append(hi).append(" nodes − value at ").append(lo)
                .append(") / ").append(hi - lo).append("):\n\n");
        for (String stack : runs.stream().map(Run::stack).distinct().toList()) {
            Run a = find(runs, stack, lo, 0);
            Run z = find(runs, stack, hi, 0);
            if (a != null && z != null) {
                b.append(String.format(Locale.ROOT, "- %s: peak RSS %d bytes/node", stack, (z.peakRss() - a.peakRss()) / (hi - lo)));
                if (stack.startsWith(OURS)) {
                    b.append(String.format(Locale.ROOT, ", peak heap %d bytes/node, live heap %d bytes/node",
                            (z.peakHeap() - a.peakHeap()) / (hi - lo), (z.liveHeap() - a.liveHeap()) / (hi - lo)));
                }
                b.append('\n');
            }
        }
        b.append('\n');
    }

    private static Run find(List<Run> runs, String stack, int nodes, double loss) {
        return runs.stream().filter(r -> r.stack().equals(stack) && r.nodes() == nodes && r.loss() == loss).findFirst().orElse(null);
    }

    private static void ratio(StringBuilder b, List<Run> runs, int nodes, double loss, String name) {
        Run ours = find(runs, OURS, nodes, loss);
        Run peer = find(runs, PEER, nodes, loss);
        if (ours != null && peer != null) {
            b.append(String.format(Locale.ROOT, "ratio %s vs dnsmasq+ganesha: %.2f%n", name, sec(peer.result().wall()) / sec(ours.result().wall())));
        }
    }

    private static void failed(StringBuilder b, List<Run> runs, int nodes, double loss, String name) {
        Run ours = find(runs, OURS, nodes, loss);
        if (ours != null) {
            b.append("failed ").append(name).append(" netboot4j: ").append(ours.result().failed().size()).append('\n');
        }
    }

    private static double sec(Duration d) {
        return d.toNanos() / 1e9;
    }
}
