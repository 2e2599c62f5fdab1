package io.netboot4j.testkit;

import io.netboot4j.core.BootProfile;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.testkit.internal.DhcpRadio;
import io.netboot4j.testkit.internal.SimulatedNode;
import io.netboot4j.testkit.internal.WorkingSet;
import io.netboot4j.testkit.internal.WorkingSetReplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A boot storm: every node of a {@link Cluster} boots at once, simulated. Each node is a
 * virtual thread that does what a diskless node does, with the real clients' packets and
 * timers ({@link StormPhase}): iPXE's DHCP exchange, the iPXE script and the kernel and
 * initrd over lock-step TFTP, klibc {@code ipconfig}'s DHCP exchange, the kernel's NFSv3
 * root mount over TCP, and the NFS calls of a recorded boot replayed. What comes back is
 * checked (the node's own address and script section, boot files identical to the boot
 * profile's, READ data identical to the exported files, written files read back).
 *
 * <p>The simulated nodes live in a namespace of their own, joined to the servers' bridge by
 * a veth pair; the addresses of all the cluster's nodes are added to that veth, and each
 * node binds its sockets to the address DHCP gave it, so the servers see as many clients as
 * there are nodes. The servers can be netboot4j's (in-process, through
 * {@link NetworkNamespace#seam()}) or any others serving the cluster on the bridge
 * ({@link PeerBootStack}).
 *
 * <p>Loss and delay are injected on the simulated nodes' side, both directions, from a
 * seeded generator per node (reproducible). TCP cannot lose data above the socket: a lost
 * segment costs the node Linux's minimum retransmission timeout (200 ms) instead.
 *
 * {@snippet :
 * try (VirtualNetwork net = VirtualNetwork.create("nb-storm", "10.98.0.0/22")) {
 *     Cluster cluster = net.clusterBuilder("storm")
 *             .nodes("node%d", 500, "52:54:00:98:00:01", "10.98.0.11")
 *             .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()))
 *             .rootFilesystem(r -> r.path(root.path()).readWrite())
 *             .build();
 *     try (RunningCluster running = cluster.start()) {
 *         StormResult r = StormSimulator.builder(cluster).loss(0.02).seed(1).build().run(net);
 *         System.out.println(r.summary());
 *     }
 * }
 * }
 *
 * <p>Needs root and {@code ip} (Debian {@code iproute2}). The nodes do not wait between
 * phases as a real machine does while its kernel starts: the storm is the servers' worst case.
 */
public final class StormSimulator {

    private final Cluster cluster;
    private final double loss;
    private final Duration delay;
    private final int slowNodes;
    private final Duration slowDelay;
    private final long seed;
    private final int blockSize;
    private final Duration deadline;
    private final WorkingSet workingSet;

    private StormSimulator(Builder b) {
        this.cluster = b.cluster;
        this.loss = b.loss;
        this.delay = b.delay;
        this.slowNodes = b.slowNodes;
        this.slowDelay = b.slowDelay;
        this.seed = b.seed;
        this.blockSize = b.blockSize;
        this.deadline = b.deadline;
        this.workingSet = b.workingSet == null ? WorkingSet.recorded() : b.workingSet;
    }

    /**
     * Starts describing a storm of every node of {@code cluster}.
     *
     * @param cluster the nodes (MAC, address, host name), the boot profile (the files are
     *     compared with what TFTP sends) and the root filesystem (READ data is compared with it)
     */
    public static Builder builder(Cluster cluster) {
        return new Builder(cluster);
    }

    /** Runs the storm against the servers on {@code net}'s bridge. */
    public StormResult run(VirtualNetwork net) {
        return run(net.namespace(), VirtualNetwork.BRIDGE);
    }

    /**
     * Runs the storm against the servers on {@code bridge} in {@code servers}: makes the
     * nodes' namespace and veth pair, adds every node's address, boots all nodes at once,
     * waits until each is up or has failed (or the deadline passed), and removes the
     * namespace again.
     *
     * @throws IllegalStateException if the nodes' namespace cannot be made
     */
    public StormResult run(NetworkNamespace servers, String bridge) {
        try {
            workingSet.createIn(cluster.rootFilesystem().path());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the working set's files in " + cluster.rootFilesystem().path(), e);
        }
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
        String outside = "stm" + suffix;
        String inside = "sti" + suffix;
        try (NetworkNamespace nodes = NetworkNamespace.create("nb-storm")) {
            servers.addVeth(outside, inside, bridge, nodes);
            addAddresses(nodes, inside);
            try (DhcpRadio radio = DhcpRadio.open(nodes.seam(), inside)) {
                return storm(nodes, radio);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the simulated nodes' DHCP port on " + inside, e);
            }
        }
    }

    private void addAddresses(NetworkNamespace ns, String dev) {
        int prefix = cluster.network().subnet().prefixLength();
        StringBuilder batch = new StringBuilder();
        for (Node n : cluster.nodes()) {
            batch.append("address add ").append(Ipv4.format(n.address())).append('/').append(prefix).append(" dev ").append(dev)
                    .append(" noprefixroute\n");
        }
        try {
            Path file = Files.createTempFile("nb-storm-addresses", ".batch");
            try {
                Files.writeString(file, batch);
                ns.ip("-batch", file.toString());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the address batch for " + dev, e);
        }
        ns.ip("route", "add", cluster.network().subnet().toString(), "dev", dev);
    }

    private StormResult storm(NetworkNamespace ns, DhcpRadio radio) {
        Map<String, SimulatedNode.Expected> files = expectedFiles(cluster.boot());
        WorkingSetReplay.ExportedData exported = new WorkingSetReplay.ExportedData(cluster.rootFilesystem().path());
        List<Node> all = cluster.nodes();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<SimulatedNode.Run> run = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicReferenceArray<SimulatedNode> booting = new java.util.concurrent.atomic.AtomicReferenceArray<>(all.size());
        List<Future<NodeOutcome>> futures = new ArrayList<>(all.size());
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("storm-node-", 0).factory())) {
            for (int i = 0; i < all.size(); i++) {
                Node n = all.get(i);
                int index = i;
                futures.add(threads.submit(() -> {
                    gate.await();
                    SimulatedNode node = new SimulatedNode(run.get(), index, n.hostname(), n.mac(), n.address());
                    booting.set(index, node);
                    return node.boot();
                }));
            }
            long start = System.nanoTime();
            run.set(new SimulatedNode.Run(ns.seam(), radio, files, workingSet, exported, blockSize, loss, delay, slowNodes, slowDelay, seed, start,
                    start + deadline.toNanos()));
            gate.countDown();
            List<NodeOutcome> outcomes = new ArrayList<>(all.size());
            for (int i = 0; i < futures.size(); i++) {
                int index = i;
                // where an unfinished node is, is read once its wait is over: read before, a node whose thread
                // had not started yet looked like one still in DHCP (the hang seen at the deadline of lossy runs)
                outcomes.add(await(futures.get(i), start + deadline.toNanos(), deadline,
                        why -> unfinished(all.get(index), booting.get(index), why)));
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            threads.shutdownNow();
            return new StormResult(outcomes, wall, radio.strays());
        }
    }

    /**
     * A node's outcome, waited for until {@code deadlineNanos} (the storm's {@code deadline} after its start); a node not done by then is
     * cancelled and described by {@code unfinished} (given why), called only after the wait.
     */
    static NodeOutcome await(Future<NodeOutcome> f, long deadlineNanos, Duration deadline, Function<String, NodeOutcome> unfinished) {
        try {
            return f.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return unfinished.apply("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return unfinished.apply("crashed: " + e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return unfinished.apply("not up within the storm's deadline of " + deadline.toSeconds() + " s");
        }
    }

    private static NodeOutcome unfinished(Node n, SimulatedNode node, String why) {
        return node != null ? node.unfinished(why) : new NodeOutcome(n.hostname(), n.mac(), null, Map.of(), 0, 0, StormPhase.DHCP, why);
    }

    private static Map<String, SimulatedNode.Expected> expectedFiles(BootProfile boot) {
        Map<String, SimulatedNode.Expected> m = new HashMap<>();
        m.put(boot.kernelFileName(), expected(boot.kernel()));
        boot.initrd().ifPresent(i -> m.put(boot.initrdFileName().orElseThrow(), expected(i)));
        return m;
    }

    private static SimulatedNode.Expected expected(Path file) {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                crc.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the boot profile's " + file, e);
        }
        return new SimulatedNode.Expected(size, crc.getValue());
    }

    /** Describes a storm; every setter checks its value at once. */
    public static final class Builder {
        private final Cluster cluster;
        private double loss;
        private Duration delay = Duration.ZERO;
        private int slowNodes;
        private Duration slowDelay = Duration.ZERO;
        private long seed = 1;
        private int blockSize = 1432;
        private Duration deadline = Duration.ofMinutes(30);
        private WorkingSet workingSet;

        private Builder(Cluster cluster) {
            if (cluster == null || cluster.nodes().isEmpty()) {
                throw new IllegalArgumentException("a storm needs a cluster with nodes");
            }
            this.cluster = cluster;
        }

        /**
         * The probability that a datagram is lost, each direction; default 0.
         *
         * @throws IllegalArgumentException unless 0 &lt;= loss &lt;= 0.5
         */
        public Builder loss(double loss) {
            if (!(loss >= 0 && loss <= 0.5)) {
                throw new IllegalArgumentException("loss must be between 0 and 0.5, not " + loss);
            }
            this.loss = loss;
            return this;
        }

        /**
         * The one-way delay added to every datagram and TCP segment, each direction; default none.
         *
         * @throws IllegalArgumentException if negative or longer than one second
         */
        public Builder delay(Duration delay) {
            if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("delay must be between 0 and 1 s, not " + delay);
            }
            this.delay = delay;
            return this;
        }

        /**
         * Makes the cluster's first {@code count} nodes slow: {@code extraDelay} more each way on
         * every datagram and segment (a node behind a slow link), to see that the others are not
         * held back; default none.
         *
         * @throws IllegalArgumentException if {@code count} is negative or above the node count,
         *     or the delay is negative or longer than one second
         */
        public Builder slowNodes(int count, Duration extraDelay) {
            if (count < 0 || count > cluster.nodes().size()) {
                throw new IllegalArgumentException("slow nodes must be between 0 and " + cluster.nodes().size() + ", not " + count);
            }
            if (extraDelay == null || extraDelay.isNegative() || extraDelay.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("the slow nodes' delay must be between 0 and 1 s, not " + extraDelay);
            }
            this.slowNodes = count;
            this.slowDelay = extraDelay;
            return this;
        }

        /** The seed of the loss generators; default 1. The same seed loses the same packets. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The TFTP block size the nodes ask for; default 1432, what the recorded iPXE ROM asked for
         * (its {@code TFTP_MAX_BLKSIZE}; other PXE ROMs ask for 1456 or 512).
         *
         * @throws IllegalArgumentException unless 8 &lt;= size &lt;= 65464 (RFC 2348)
         */
        public Builder blockSize(int size) {
            if (size < 8 || size > 65464) {
                throw new IllegalArgumentException("blksize must be between 8 and 65464 (RFC 2348), not " + size);
            }
            this.blockSize = size;
            return this;
        }

        /**
         * How long the storm may last; nodes not up by then fail; default 30 minutes.
         *
         * @throws IllegalArgumentException unless positive
         */
        public Builder deadline(Duration deadline) {
            if (deadline == null || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, not " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * The NFS calls each node replays, in the working set's text form (see the testkit
         * README); default the recorded boot shipped with the testkit.
         *
         * @throws UncheckedIOException if the file cannot be read
         * @throws IllegalArgumentException naming a malformed line
         */
        public Builder workingSet(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                this.workingSet = WorkingSet.parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the working set " + file, e);
            }
            return this;
        }

        /**
         * Each node replays the recorded boot of a Debian root (systemd, bookworm minbase plus
         * the packages a node needs to reach a login prompt) instead of the default, a busybox
         * root's boot: about ten times the calls. The files it reads are laid out in the
         * cluster's root before the storm (made-up content of their real sizes), so the root
         * should be an empty folder or one laid out by an earlier run.
         */
        public Builder debianBoot() {
            this.workingSet = WorkingSet.debianBoot();
            return this;
        }

        /** The storm described. */
        public StormSimulator build() {
            return new StormSimulator(this);
        }
    }
}
