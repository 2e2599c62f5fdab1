package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.RootFilesystem;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.FloodWatch;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded NFS root export: every root of the cluster ({@link Cluster#rootFilesystems()},
 * one {@link ExportState} each, calls routed by {@link ExportTable}) over NFSv3 and MOUNT v3 over TCP and UDP ({@link RpcTcpServer},
 * {@link RpcUdpServer}, bounded by {@link RpcLimits}), and a
 * portmapper (in-process when none answers on the portmap port, else the system's, with
 * which it registers). Every socket is opened inside the cluster's network seam. Who may
 * connect comes from the head node's admission ({@link RpcGate}): the cluster's nodes
 * always, other sources only within the budget's share for them (none by default).
 */
public final class EmbeddedNfsServer implements RootExport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNfsServer.class);

    private final ServiceContext context;
    private final java.util.function.Function<Cluster, List<ExportRule>> rulesOf;
    private final List<java.io.Closeable> transports = new ArrayList<>();
    private final RpcLimits limits;
    private final InFlightBudget budget;
    private final RpcGate gate;
    private final Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
    private ExecutorService executor;
    private ExportState state;
    private ExportTable exports;
    private byte[] key;
    /** The states of group roots, by folder, exported now or before (closed with the server). */
    private final Map<Path, ExportState> groupStates = new LinkedHashMap<>();
    private Portmap2 portmap;
    private boolean registeredWithSystem;
    private boolean started;
    private boolean closed;

    /** A server whose rules stay {@code rules} (host names in them follow the node list of a changed cluster). */
    public EmbeddedNfsServer(ServiceContext context, List<ExportRule> rules) {
        this(context, c -> rules);
    }

    /** @param rulesOf the export rules of a cluster description, asked again on a live change */
    public EmbeddedNfsServer(ServiceContext context, java.util.function.Function<Cluster, List<ExportRule>> rulesOf) {
        this.context = context;
        this.rulesOf = rulesOf;
        this.limits = RpcLimits.within(context.cluster().budget().inFlightBytes());
        this.budget = new InFlightBudget(limits.inFlightBytes());
        this.gate = new RpcGate(context.admission(), new FloodWatch(name(), context.events(), context.clock(), LOG));
    }

    @Override
    public String name() {
        return "embedded NFS";
    }

    /** The state of the cluster's root export (for tests and diagnostics); null before start. */
    public ExportState state() {
        return state;
    }

    /** The state of the export of {@code root} (for tests and diagnostics); null if it is not exported. */
    public synchronized ExportState state(Path root) {
        return exports == null ? null : exports.states().stream().filter(s -> s.root().equals(root)).findFirst().orElse(null);
    }

    @Override
    public synchronized void start() throws Exception {
        if (closed) {
            throw new IllegalStateException("the embedded NFS server was closed; create a new one");
        }
        if (started) {
            throw new IllegalStateException("the embedded NFS server is already started");
        }
        started = true;
        Cluster cluster = context.cluster();
        for (RootFilesystem r : cluster.rootFilesystems()) {
            if (!isFolder(r)) {
                throw new IOException("the root filesystem " + r.path() + " is not a folder (build it first, for example with the debootstrap root build)");
            }
        }
        Path root = cluster.rootFilesystem().path();
        Stat rootStat = Posix.lstat(root);
        key = handleKey(cluster, root, rootStat);
        List<ExportRule> rules = rulesOf.apply(cluster);
        state = newState(cluster.rootFilesystem(), cluster, rules);
        exports = new ExportTable(state);
        exports.replaceOthers(otherStates(cluster, rules));
        portmap = new Portmap2();
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nfs-", 0).factory());
        RpcPrograms.DuplicateRequestCache drc = new RpcPrograms.DuplicateRequestCache(4096);
        Mount3 mount = new Mount3(exports);
        InetAddress bind = cluster.network().server();
        NetworkSeam seam = context.network();
        try {
            int nfsPort = listen("nfs", seam, bind, cluster.ports().nfs(), new RpcPrograms(state,
                    new RpcPrograms.Service("NFS", Nfs3.PROGRAM, Nfs3.VERSION, 22, exports::call, Nfs3::quick, Nfs3::replySize,
                            drc, Nfs3::nonIdempotent)));
            int mountPort = listen("mount", seam, bind, cluster.ports().mount(), new RpcPrograms(state,
                    new RpcPrograms.Service("MOUNT", Mount3.PROGRAM, Mount3.VERSION, 6, mount::call, p -> p != Mount3.MNT)));
            for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
                portmap.set(Nfs3.PROGRAM, 3, proto, nfsPort);
                portmap.set(Mount3.PROGRAM, 3, proto, mountPort);
                portmap.set(Portmap2.PROGRAM, 2, proto, 0);
            }
            startPortmap(seam, bind, cluster.ports().portmap(), nfsPort, mountPort);
        } catch (Exception e) {
            close();
            throw new IOException("could not start the embedded NFS server on " + Ipv4.format(cluster.network().server())
                    + " in the " + seam.describe() + ": " + e.getMessage(), e);
        }
        LOG.info("embedded NFS server exports {} on {}", describe(), endpoints);
    }

    /** A new export of {@code root} with its rules ({@link ExportRule#forRoot}), under the server's handle key. */
    private ExportState newState(RootFilesystem root, Cluster cluster, List<ExportRule> clusterRules) throws IOException {
        ExportState s = new ExportState(root.path(), ExportRule.forRoot(clusterRules, cluster, root), cluster, key, context.events(),
                context.clock());
        s.index().remember(Posix.lstat(root.path()), root.path());
        return s;
    }

    /**
     * The exports of {@code cluster}'s group roots: a root exported before keeps its state (its
     * rules replaced), a new one gets a new state; a state no longer exported is kept aside
     * (open for calls under way, reused if its folder comes back) and closed with the server.
     */
    private List<ExportState> otherStates(Cluster cluster, List<ExportRule> clusterRules) throws IOException {
        List<ExportState> others = new ArrayList<>();
        for (RootFilesystem r : cluster.rootFilesystems().subList(1, cluster.rootFilesystems().size())) {
            ExportState s = groupStates.get(r.path());
            if (s == null) {
                s = newState(r, cluster, clusterRules);
                groupStates.put(r.path(), s);
            } else {
                s.update(ExportRule.forRoot(clusterRules, cluster, r), cluster);
            }
            others.add(s);
        }
        return others;
    }

    /** Each export with its clients, for the log. */
    private String describe() {
        return exports.states().stream().map(s -> s.exportPath() + " " + s.rules().stream().map(ExportRule::render).toList())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The file-handle key: kept in the cluster's work folder when the user chose one (so
     * handles survive restarts); otherwise derived from {@code /etc/machine-id} and the
     * export's path and identity, which also survive restarts of a JVM whose work folder
     * is temporary. Without a machine id, a random key: handles then last one run.
     */
    private byte[] handleKey(Cluster cluster, Path root, Stat s) throws IOException {
        if (cluster.workFolder().isPresent()) {
            return FileHandles.loadOrCreateKey(context.workFolder().resolve("nfs-handle.key"));
        }
        Path machineId = Path.of("/etc/machine-id");
        if (Files.isReadable(machineId)) {
            try {
                java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
                d.update(Files.readAllBytes(machineId));
                d.update(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                d.update(java.nio.ByteBuffer.allocate(16).putLong(s.dev()).putLong(s.ino()).array());
                d.update("netboot4j NFS file handles".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return d.digest();
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }
        LOG.warn("no work folder chosen and no /etc/machine-id: NFS file handles will not survive a restart of this server");
        return FileHandles.loadOrCreateKey(context.workFolder().resolve("nfs-handle.key"));
    }

    /** Listens on TCP and UDP (the same port) for one port's programs; returns the port. */
    private int listen(String name, NetworkSeam seam, InetAddress bind, int port, RpcPrograms programs) throws IOException {
        RpcEndpoint endpoint = new RpcEndpoint(name, programs, limits, budget, executor, state,
                name.equals("nfs") ? gate : gate.withoutConnectionPermits());
        RpcTcpServer tcp = new RpcTcpServer(endpoint, seam.openTcp(new InetSocketAddress(bind, port), 128));
        transports.add(tcp);
        InetSocketAddress tcpAddress = tcp.address();
        RpcUdpServer udp = new RpcUdpServer(endpoint, seam.openUdp(tcpAddress, true));
        transports.add(udp);
        tcp.start();
        udp.start();
        endpoints.put(name, tcpAddress);
        endpoints.put(name + "-udp", udp.address());
        return tcpAddress.getPort();
    }

    /**
     * Registers with the system's portmapper when one answers on the portmap port;
     * otherwise serves portmap v2 here. SET and UNSET are accepted over TCP from this host
     * only (a datagram's source address can be forged).
     */
    private void startPortmap(NetworkSeam seam, InetAddress bind, int port, int nfsPort, int mountPort) throws Exception {
        if (port != 0 && seam.call(() -> registerWithSystem(port, nfsPort, mountPort))) {
            registeredWithSystem = true;
            endpoints.put("portmap", new InetSocketAddress(bind, port));
            LOG.info("registered NFS and MOUNT with the system portmapper on port {}", port);
            return;
        }
        RpcPrograms programs = new RpcPrograms(state, new RpcPrograms.Service("PORTMAP", Portmap2.PROGRAM, Portmap2.VERSION, 6,
                (proc, in, caller) -> portmap.call(proc, in,
                        !caller.datagram() && (caller.address().isLoopbackAddress() || caller.address().equals(bind))),
                proc -> true));
        int p = listen("portmap", seam, bind, port, programs);
        for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
            portmap.set(Portmap2.PROGRAM, 2, proto, p);
        }
    }

    /** Registers NFS and MOUNT with the portmapper answering on {@code port} of 127.0.0.1; false if none answers. */
    private static boolean registerWithSystem(int port, int nfsPort, int mountPort) throws IOException {
        try (PortmapClient system = PortmapClient.probe(InetAddress.getLoopbackAddress(), port, 1000)) {
            if (system == null) {
                return false;
            }
            system.unset(Nfs3.PROGRAM, Nfs3.VERSION);
            system.unset(Mount3.PROGRAM, Mount3.VERSION);
            boolean ok = true;
            for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
                ok &= system.set(Nfs3.PROGRAM, 3, proto, nfsPort);
                ok &= system.set(Mount3.PROGRAM, 3, proto, mountPort);
            }
            if (!ok) {
                throw new IOException("the system portmapper on port " + port + " refused to register NFS and MOUNT");
            }
            return true;
        }
    }

    /** Bytes of calls and replies in flight now (for tests and diagnostics). */
    long inFlightBytes() {
        return budget.inFlight();
    }

    /** Connections and datagrams refused by admission so far (sources that are not nodes, over their limits). */
    public long refused() {
        return gate.refused();
    }

    /** TCP connections closed because their client did not read a reply within the write timeout. */
    public long stalledConnections() {
        return transports.stream().mapToLong(t -> t instanceof RpcTcpServer tcp ? tcp.stalled() : 0).sum();
    }

    /** The limits this server runs with. */
    RpcLimits limits() {
        return limits;
    }

    @Override
    public synchronized Map<String, InetSocketAddress> endpoints() {
        return Map.copyOf(endpoints);
    }

    /**
     * Yes while running and every root of {@code next} is a folder: the rules are swapped whole
     * and group roots exported or withdrawn (the running cluster refuses to change the cluster's
     * root filesystem or network live).
     */
    @Override
    public synchronized boolean supportsUpdate(Cluster next) {
        return started && !closed && state != null
                && next.rootFilesystems().stream().allMatch(EmbeddedNfsServer::isFolder);
    }

    /** Whether {@code root}'s folder is one (not a link to one). */
    private static boolean isFolder(RootFilesystem root) {
        return Files.isDirectory(root.path(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Checks the next call of every client against {@code next}'s rules, host names matched
     * against {@code next}'s nodes: a removed node named by a rule is refused from its next
     * call, an added one admitted. Mounts of clients that keep their access are untouched.
     * The admission follows {@code next}'s nodes too (a running cluster has done so already;
     * a server started alone has an admission of its own). A group root added is exported from
     * the next MNT; one withdrawn is refused at MNT and its handles are refused (BADHANDLE).
     *
     * @throws IllegalArgumentException if a new group root's export id is another export's
     */
    @Override
    public synchronized void update(Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " is not running, or a root of " + next.name() + " is not a folder");
        }
        context.admission().nodes(next);
        List<ExportRule> rules = rulesOf.apply(next);
        try {
            exports.replaceOthers(otherStates(next, rules));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(name() + " could not export a group root of " + next.name() + ": " + e.getMessage(), e);
        }
        state.update(rules, next);
        LOG.info("embedded NFS server exports {}", describe());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registeredWithSystem) {
            try {
                context.network().call(() -> {
                    try (PortmapClient system = PortmapClient.probe(InetAddress.getLoopbackAddress(), context.cluster().ports().portmap(), 1000)) {
                        if (system != null) {
                            system.unset(Nfs3.PROGRAM, 3);
                            system.unset(Mount3.PROGRAM, 3);
                        }
                    }
                    return null;
                });
            } catch (Exception e) {
                LOG.warn("could not unregister from the system portmapper: {}", e.getMessage());
            }
        }
        for (java.io.Closeable t : transports) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("stopping {} failed: {}", t, e.getMessage());
            }
        }
        transports.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
        if (state != null) {
            state.close();
        }
        groupStates.values().forEach(ExportState::close);
        endpoints.clear();
    }
}
