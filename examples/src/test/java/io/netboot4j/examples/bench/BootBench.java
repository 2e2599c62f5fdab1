package io.netboot4j.examples.bench;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Node;
import io.netboot4j.core.RunningCluster;
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

/**
 * {@code bench/boot.sh}: the same QEMU nodes, kernel, initrd, boot files and busybox root
 * booted by netboot4j's embedded stack and by dnsmasq + nfs-ganesha + rpcbind, with 1 node
 * and with 4 nodes at once. Measures seconds from power-on (QEMU started) to the node's
 * console saying it wrote its file into the NFS root, per node and wall (first power-on to
 * last write). Writes a Markdown report.
 *
 * <p>Arguments: the report file (default {@code bench/results/boot.md}), then optionally
 * the node counts (default {@code 1 4}); a count written {@code uefi-N} boots N UEFI nodes
 * (OVMF, the firmware's own PXE, {@code snponly.efi} from both stacks, then the same iPXE
 * script). UEFI results go to a section of their own in the report file: a run of BIOS counts
 * only keeps the file's UEFI section, a run of UEFI counts only keeps the rest. A count
 * written {@code storm-N} is a QEMU boot storm: N BIOS nodes at once on both stacks' default
 * configurations (no extra rows), then {@link StormSimulator} with N simulated nodes against
 * the same two stacks ({@link StormBench#run}), so simulated and real guests are compared on
 * the same day; its results go to a section of their own, kept like the UEFI one.
 */
public final class BootBench {

    private static final Duration BOOT_LIMIT = Duration.ofMinutes(12);

    /** The embedded stack with TFTP transfers on platform threads instead of virtual ones (an experiment). */
    static final String PLATFORM_TFTP = "netboot4j-platform-tftp";
    /** The embedded stack serving TFTP only (iPXE loads kernel and initrd over TFTP), to compare with its default HTTP. */
    static final String TFTP_ONLY = "netboot4j-tftp-only";
    /** The embedded stack without its IPv6 Router Advertisement responder (the first-stage comparison, 1 node). */
    static final String NO_RA = "netboot4j-no-ra";

    private BootBench() {
    }

    /** Console milestones, in order: each phase ends when its line appears. */
    static final List<String> PHASES = List.of("DHCP (iPXE)", "script (TFTP), kernel, initrd (HTTP or TFTP)", "kernel, initramfs DHCP, NFS mount",
            "init writes its file");
    static final List<java.util.regex.Pattern> MILESTONES = List.of(
            java.util.regex.Pattern.compile("Configuring \\(net0.*ok"),
            java.util.regex.Pattern.compile("Linux version"),
            java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(BusyboxRoot.STARTED)),
            BusyboxRoot.WROTE_LINE);

    /** The heading of the UEFI section of the report. */
    static final String UEFI_SECTION = "\n## UEFI nodes\n";
    private static final String UEFI = "uefi-";
    /** The heading of the QEMU storm section of the report. */
    static final String STORM_SECTION = "\n## Storm: QEMU nodes at once, and the simulator beside them\n";
    private static final String STORM = "storm-";

    /**
     * @param nodes the count as given: {@code 4}, or {@code uefi-1} for UEFI nodes
     */
    record Run(String stack, String nodes, Map<String, Double> perNode, double wall, String load, double[] phases) {
        double mean() {
            return perNode.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/boot.md");
        List<String> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            count(args[i]); // a number, or stop here
            counts.add(args[i]);
        }
        if (counts.isEmpty()) {
            counts = List.of("1", "4");
        }
        for (String why : List.of(VirtualNode.unavailableReason(), PeerBootStack.unavailableReason(), BusyboxRoot.unavailableReason(),
                DebianKernel.unavailableReason())) {
            if (!why.isEmpty()) {
                System.err.println("boot bench cannot run: " + why);
                System.exit(2);
            }
        }
        Path work = Files.createTempDirectory("nb-bench-boot-");
        DebianKernel kernel = DebianKernel.require();
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        List<Run> runs = new ArrayList<>();
        Instant started = Instant.now();
        int repeats = Integer.getInteger("bench.repeats", 2);
        for (String n : counts) {
            for (int rep = 0; rep < repeats; rep++) {
                // Alternate which stack goes first, so a drift in the machine's load hits both alike.
                List<String> order = new ArrayList<>(rep % 2 == 0 ? List.of("netboot4j", "dnsmasq+ganesha") : List.of("dnsmasq+ganesha", "netboot4j"));
                if (n.startsWith(STORM)) {
                    // a storm compares the two defaults only: each extra row is minutes of emulation
                } else if (Boolean.getBoolean("bench.platformTftp")) {
                    order.add(PLATFORM_TFTP);
                }
                if (!n.startsWith(STORM) && Boolean.parseBoolean(System.getProperty("bench.tftpOnly", "true"))) {
                    order.add(TFTP_ONLY);
                }
                if (n.equals("1") && Boolean.parseBoolean(System.getProperty("bench.noRa", "true"))) {
                    order.add(NO_RA);
                }
                for (String stack : order) {
                    runs.add(run(stack, n, kernel, root, work.resolve(stack + "-" + n + "-" + rep)));
                    System.out.println(runs.getLast() + " phases " + java.util.Arrays.toString(runs.getLast().phases()));
                }
            }
        }
        List<StormBench.Run> simulated = new ArrayList<>();
        for (String n : counts) {
            if (n.startsWith(STORM)) {
                for (String stack : List.of("netboot4j", "dnsmasq+ganesha")) {
                    // the Debian boot's working set, laid out in an empty root of the run's own
                    Path simulatedWork = work.resolve("simulated-" + stack.replace('+', '-') + "-" + n);
                    simulated.add(StormBench.run(stack, count(n), 0, Duration.ofMinutes(10), kernel,
                            StormBench.root(simulatedWork, true), true, simulatedWork));
                }
            }
        }
        Duration took = Duration.between(started, Instant.now());
        List<Run> bios = runs.stream().filter(r -> !r.nodes().startsWith(UEFI) && !r.nodes().startsWith(STORM)).toList();
        List<Run> uefi = runs.stream().filter(r -> r.nodes().startsWith(UEFI)).toList();
        List<Run> storm = runs.stream().filter(r -> r.nodes().startsWith(STORM)).toList();
        Map<String, String> before = sections(Files.exists(out) ? Files.readString(out) : "");
        String report = (bios.isEmpty() ? before.get("") : report(bios, kernel, took))
                + (storm.isEmpty() ? before.get(STORM_SECTION) : STORM_SECTION + "\n" + stormReport(storm, simulated, kernel, took))
                + (uefi.isEmpty() ? before.get(UEFI_SECTION) : UEFI_SECTION + "\n" + uefiReport(uefi, kernel, took));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
        if (Boolean.getBoolean("bench.keep")) {
            System.out.println("kept " + work);
        } else {
            Commands.run(Duration.ofMinutes(1), List.of("rm", "-rf", work.toString()));
        }
    }

    /** The node count of {@code 4}, {@code uefi-4} or {@code storm-8}. */
    static int count(String nodes) {
        return Integer.parseInt(nodes.substring(nodes.indexOf('-') + 1));
    }

    /** The report file cut at its section headings: the main part (key {@code ""}), the storm and UEFI sections ("" when absent). */
    static Map<String, String> sections(String text) {
        Map<String, Integer> starts = new LinkedHashMap<>();
        starts.put("", 0);
        for (String heading : List.of(STORM_SECTION, UEFI_SECTION)) {
            if (text.contains(heading)) {
                starts.put(heading, text.indexOf(heading));
            }
        }
        Map<String, String> parts = new LinkedHashMap<>(Map.of("", "", STORM_SECTION, "", UEFI_SECTION, ""));
        for (var e : starts.entrySet()) {
            // a part ends where the next heading starts (the main part, at a heading at 0: at once)
            int end = starts.entrySet().stream().filter(o -> !o.getKey().isEmpty() && !o.getKey().equals(e.getKey()) && o.getValue() >= e.getValue())
                    .mapToInt(Map.Entry::getValue).min().orElse(text.length());
            parts.put(e.getKey(), text.substring(e.getValue(), end));
        }
        return parts;
    }

    static Run run(String stack, String nodes, DebianKernel kernel, BusyboxRoot root, Path work) throws Exception {
        boolean uefi = nodes.startsWith(UEFI);
        int count = count(nodes);
        root.clearReports();
        Files.createDirectories(work);
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        try (VirtualNetwork net = VirtualNetwork.create("nb-bench", "10.95.0.0/24")) {
            var builder = net.clusterBuilder("bench");
            if (stack.equals(PLATFORM_TFTP)) {
                builder.bootFiles(io.netboot4j.tftp.EmbeddedTftpProvider.withoutHttp(PxeBootTree::of,
                        b -> b.transferThreads(Thread.ofPlatform().daemon().name("tftp-transfer-", 0).factory())));
            }
            if (stack.equals(TFTP_ONLY)) {
                builder.bootFiles(io.netboot4j.tftp.EmbeddedTftpProvider.withoutHttp(PxeBootTree::of, b -> { }));
            }
            if (stack.equals(NO_RA)) {
                builder.with(io.netboot4j.dhcp.DhcpSettings.builder().routerAdvertisements(false).build());
            }
            Cluster cluster = builder
                    .nodes("benchnode%d", count, "52:54:00:95:00:11", "10.95.0.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .workFolder(work.resolve("cluster"))
                    .build();
            AutoCloseable servers;
            if (stack.startsWith("netboot4j")) {
                RunningCluster running = cluster.start();
                servers = running;
            } else {
                // The same boot tree, with the script of a TFTP-only server (dnsmasq serves no HTTP).
                Path tree = work.resolve("tftp");
                PxeBootTree.of(cluster).writeTo(tree);
                servers = PeerBootStack.start(net.namespace(), cluster, work.resolve("peer"), tree);
            }
            try (servers) {
                List<VirtualNode> machines = new ArrayList<>();
                for (Node n : cluster.nodes()) {
                    machines.add(net.powerOn(n, uefi ? VirtualNode.Firmware.UEFI : VirtualNode.Firmware.BIOS,
                            work.resolve(n.hostname() + ".console")));
                }
                Instant first = machines.getFirst().startedAt();
                Instant last = first;
                Map<String, Double> per = new LinkedHashMap<>();
                for (VirtualNode v : machines) {
                    VirtualNode.ConsoleLine line = v.awaitConsole(BusyboxRoot.WROTE_LINE, BOOT_LIMIT);
                    per.put(v.name(), line.at().toMillis() / 1000.0);
                    Instant at = v.startedAt().plus(line.at());
                    if (at.isAfter(last)) {
                        last = at;
                    }
                }
                for (VirtualNode v : machines) {
                    v.awaitExit(Duration.ofMinutes(2));
                }
                double[] phases = new double[MILESTONES.size()];
                for (VirtualNode v : machines) {
                    double previous = 0;
                    for (int i = 0; i < MILESTONES.size(); i++) {
                        double at = v.awaitConsole(MILESTONES.get(i), Duration.ofSeconds(1)).at().toMillis() / 1000.0;
                        phases[i] += (at - previous) / machines.size();
                        previous = at;
                    }
                }
                if (root.reports().size() != count) {
                    throw new IllegalStateException(stack + ": expected " + count + " report files, found " + root.reports().keySet());
                }
                return new Run(stack, nodes, per, Duration.between(first, last).toMillis() / 1000.0, load, phases);
            }
        }
    }

    /** Mean wall, mean per node, and the number of runs of one stack at one node count. */
    static double[] summary(List<Run> runs, String nodes, String stack) {
        List<Run> these = runs.stream().filter(r -> r.nodes().equals(nodes) && r.stack().equals(stack)).toList();
        return new double[] {these.stream().mapToDouble(Run::wall).average().orElse(Double.NaN),
                these.stream().mapToDouble(Run::mean).average().orElse(Double.NaN), these.size()};
    }

    /**
     * The UEFI section: how UEFI nodes boot on both stacks, then the same tables as
     * {@link #report}, without its title and BIOS description.
     */
    static String uefiReport(List<Run> runs, DebianKernel kernel, Duration took) {
        String tables = report(runs, kernel, took);
        return "Generated by `bench/boot.sh uefi-N` on " + Instant.now().toString().substring(0, 16) + "Z (whole run "
                + took.toSeconds() + " s). As above, but the nodes are UEFI machines: QEMU `q35` with OVMF "
                + "(`OVMF_CODE_4M.fd`, Debian's `ovmf`) and a virtio-net card without option ROM (`romfile=`), so the firmware's "
                + "own PXE asks with option 93 = 7. Both stacks answer with the same loader, iPXE's `snponly.efi` (netboot4j: "
                + "the default `ipxe` chain; dnsmasq: `dhcp-match=set:efi-x86_64,option:client-arch,7` and "
                + "`dhcp-boot=tag:!ipxe,tag:efi-x86_64,snponly.efi`), which then fetches the same iPXE script, kernel and initrd.\n\n"
                + tables.substring(tables.indexOf("| stack |"));
    }

    /**
     * The QEMU storm section: the same tables as {@link #report} for the N real guests, then the
     * simulator's N nodes against the same two stacks.
     */
    static String stormReport(List<Run> runs, List<StormBench.Run> simulated, DebianKernel kernel, Duration took) {
        String tables = report(runs, kernel, took);
        StringBuilder b = new StringBuilder("Generated by `bench/boot.sh storm-N` on " + Instant.now().toString().substring(0, 16)
                + "Z (whole run " + took.toSeconds() + " s). N QEMU BIOS nodes powered on at once, as above, against each stack's "
                + "default configuration; then `StormSimulator` with N simulated nodes against the same stacks (`bench/storm.sh`'s "
                + "set-up, 0% loss), to compare simulated with real guests on the same day. The guests' time is mostly software "
                + "emulation of N machines on the same CPUs; the simulated nodes do the network part only.\n\n");
        b.append(tables, tables.indexOf("| stack |"), tables.length()).append('\n');
        b.append("| stack | simulated nodes | wall (s) | p50 (s) | max (s) | failed | load before |\n|---|---|---|---|---|---|---|\n");
        for (StormBench.Run r : simulated) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %d | %s |%n", r.stack(), r.nodes(),
                    r.result().wall().toMillis() / 1000.0, r.result().percentile(50).toMillis() / 1000.0,
                    r.result().percentile(100).toMillis() / 1000.0, r.result().failed().size(), r.loadBefore()));
        }
        return b.toString();
    }

    static String report(List<Run> runs, DebianKernel kernel, Duration took) {
        StringBuilder b = new StringBuilder();
        b.append("# Boot benchmark: netboot4j embedded stack vs dnsmasq + nfs-ganesha + rpcbind\n\n");
        b.append("Generated by `bench/boot.sh` on ").append(Instant.now().toString(), 0, 16).append("Z (whole run ")
                .append(took.toSeconds()).append(" s).\n\n");
        b.append("Same work for both stacks, one run: QEMU `pc` machines in software emulation (no KVM, `-cpu qemu64 -m 512M`), ")
                .append("e1000 card with Debian's iPXE ROM, on taps of one bridge in a fresh network namespace per run; ")
                .append("Debian's stock kernel ").append(kernel.version()).append(" and initrd (")
                .append(kernel.initrd().toFile().length() / (1024 * 1024)).append(" MiB); the same boot tree (netboot4j's `PxeBootTree`: ")
                .append("iPXE script, kernel, initrd) and the same busybox root over NFSv3/TCP. ")
                .append("netboot4j: embedded DHCP + TFTP + HTTP + NFS/MOUNT/portmap in one JVM, its default configuration (the iPXE ")
                .append("script over TFTP loads kernel and initrd over HTTP; row ").append(TFTP_ONLY).append(": all over TFTP). ")
                .append("Peer: dnsmasq 2.90 (DHCP + TFTP, ")
                .append("iPXE user class gets the same script, relative names: all over TFTP) and nfs-ganesha (VFS, NFSv3) with its own rpcbind.\n\n");
        b.append("Measured: seconds from power-on (QEMU started) to the node's console line saying it wrote `/nodes/<name>` into ")
                .append("the NFS root (the guest's own busybox init, after DHCP, TFTP of ~40 MB, kernel boot, initramfs DHCP, ")
                .append("portmap, MOUNT and NFS). Wall: first power-on to last write. The machine has 2 cores shared with other work; ")
                .append("`/proc/loadavg` before each run is shown, and the stacks take turns going first. Software emulation dominates the time, so the servers' share is small.\n\n");
        b.append("| stack | nodes | per node (s) | mean (s) | wall (s) | load before |\n|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            List<String> per = new ArrayList<>();
            r.perNode().forEach((k, v) -> per.add(String.format(Locale.ROOT, "%s %.1f", k, v)));
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %s |%n", r.stack(), r.nodes(), String.join(", ", per),
                    r.mean(), r.wall(), r.load()));
        }
        b.append('\n');
        b.append("Where the time goes (mean seconds per node and phase, from console line arrival; each phase ends with the ")
                .append("line named: `Configuring (net0 ...) ok`, `Linux version`, `").append(BusyboxRoot.STARTED).append("`, `")
                .append(BusyboxRoot.WROTE).append("`):\n\n| stack | nodes |");
        PHASES.forEach(ph -> b.append(' ').append(ph).append(" |"));
        b.append("\n|---|---|").append("---|".repeat(PHASES.size())).append('\n');
        for (String n : runs.stream().map(Run::nodes).distinct().toList()) {
            for (String stack : runs.stream().map(Run::stack).distinct().sorted().toList()) {
                List<Run> these = runs.stream().filter(r -> r.nodes().equals(n) && r.stack().equals(stack)).toList();
                b.append("| ").append(stack).append(" | ").append(n).append(" |");
                for (int i = 0; i < PHASES.size(); i++) {
                    int k = i;
                    b.append(String.format(Locale.ROOT, " %.1f |", these.stream().mapToDouble(r -> r.phases()[k]).average().orElse(Double.NaN)));
                }
                b.append('\n');
            }
        }
        b.append('\n');
        b.append("| stack | nodes | runs | mean wall (s) | mean per node (s) |\n|---|---|---|---|---|\n");
        List<String> ratios = new ArrayList<>();
        List<String> experiments = new ArrayList<>();
        for (String n : runs.stream().map(Run::nodes).distinct().toList()) {
            for (String stack : runs.stream().map(Run::stack).distinct().sorted().toList()) {
                double[] x = summary(runs, n, stack);
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f |%n", stack, n, (int) x[2], x[0], x[1]));
            }
            double[] ours = summary(runs, n, "netboot4j");
            double[] peer = summary(runs, n, "dnsmasq+ganesha");
            double[] platform = summary(runs, n, PLATFORM_TFTP);
            double[] tftpOnly = summary(runs, n, TFTP_ONLY);
            if (tftpOnly[2] > 0) {
                experiments.add(String.format(Locale.ROOT, "iPXE over HTTP, %s node(s): mean wall %.1f s with kernel and initrd over HTTP "
                        + "(default), %.1f s over TFTP (%s); TFTP-only/HTTP %.2f.", n, ours[0], tftpOnly[0], TFTP_ONLY, tftpOnly[0] / ours[0]));
            }
            if (platform[2] > 0) {
                experiments.add(String.format(Locale.ROOT, "Experiment, %s node(s): with TFTP transfers on platform threads the peers/ours ratio is %.2f.",
                        n, peer[0] / platform[0]));
            }
            ratios.add(String.format(Locale.ROOT, "ratio boot-%s vs dnsmasq+ganesha: %.2f", n, peer[0] / ours[0]));
        }
        double[] dhcp = new double[3];
        List<String> firstStage = List.of("dnsmasq+ganesha", NO_RA, "netboot4j");
        for (int i = 0; i < 3; i++) {
            String stack = firstStage.get(i);
            dhcp[i] = runs.stream().filter(r -> r.nodes().equals("1") && r.stack().equals(stack)).mapToDouble(r -> r.phases()[0]).average()
                    .orElse(Double.NaN);
        }
        if (!Double.isNaN(dhcp[1])) {
            experiments.add(String.format(Locale.ROOT, "First stage, 1 node (power-on to iPXE's `Configuring (net0 ...) ok`): "
                    + "dnsmasq %.1f s (no option 175.176, no router advertisement), netboot4j without its RA responder %.1f s "
                    + "(175.176 no-pxedhcp only), netboot4j %.1f s (175.176 and the RA responder).", dhcp[0], dhcp[1], dhcp[2]));
        }
        if (!experiments.isEmpty()) {
            b.append('\n');
            experiments.forEach(x -> b.append(x).append('\n'));
        }
        b.append("\nRatios: mean wall seconds of the peers divided by netboot4j's (higher is better for netboot4j).\n\n");
        ratios.forEach(r -> b.append(r).append('\n'));
        return b.toString();
    }
}
