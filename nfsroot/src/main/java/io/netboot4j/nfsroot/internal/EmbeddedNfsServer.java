package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.dcache.oncrpc4j.rpc.OncRpcProgram;
import org.dcache.oncrpc4j.rpc.OncRpcSvc;
import org.dcache.oncrpc4j.rpc.OncRpcSvcBuilder;
import org.dcache.oncrpc4j.rpc.RpcDispatchable;
import org.dcache.oncrpc4j.rpc.net.IpProtocolType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded NFS root export: NFSv3 and MOUNT v3 over TCP and UDP on oncrpc4j, and a
 * portmapper (in-process when none answers on the portmap port, else the system's, with
 * which it registers). Every socket is opened inside the cluster's network seam.
 */
public final class EmbeddedNfsServer implements RootExport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNfsServer.class);

    private final ServiceContext context;
    private final List<ExportRule> rules;
    private final List<OncRpcSvc> services = new ArrayList<>();
    private final Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
    private ExecutorService executor;
    private SplitMemory memory;
    private ExportState state;
    private Portmap2 portmap;
    private boolean registeredWithSystem;
    private boolean started;
    private boolean closed;

    public EmbeddedNfsServer(ServiceContext context, List<ExportRule> rules) {
        this.context = context;
        this.rules = List.copyOf(rules);
    }

    @Override
    public String name() {
        return "embedded NFS";
    }

    /** The shared state (for tests and diagnostics); null before start. */
    public ExportState state() {
        return state;
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
        Path root = cluster.rootFilesystem().path();
        if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the root filesystem " + root + " is not a folder (build it first, for example with the debootstrap root build)");
        }
        Stat rootStat = Posix.lstat(root);
        byte[] key = handleKey(cluster, root, rootStat);
        state = new ExportState(root, rules, cluster, key, context.events(), context.clock());
        state.index().remember(rootStat, root);
        portmap = new Portmap2();
        memory = new SplitMemory();
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("nfs-", 0).factory());
        RpcPrograms.DuplicateRequestCache drc = new RpcPrograms.DuplicateRequestCache(4096);
        Nfs3 nfs = new Nfs3(state);
        Mount3 mount = new Mount3(state);
        InetAddress bind = cluster.network().server();
        NetworkSeam seam = context.network();
        try {
            seam.call(() -> {
                java.util.function.Function<Boolean, Map<OncRpcProgram, RpcDispatchable>> nfsPrograms = udp -> Map.of(
                        new OncRpcProgram(Nfs3.PROGRAM, 3), RpcPrograms.dispatcher("NFS", 22, nfs::call, state, drc, Nfs3::nonIdempotent, udp, Nfs3::quick, executor),
                        new OncRpcProgram(Nfs3.PROGRAM, 2), RpcPrograms.mismatch(3, 3),
                        new OncRpcProgram(Nfs3.PROGRAM, 4), RpcPrograms.mismatch(3, 3));
                int nfsPort = listen("nfs", bind, cluster.ports().nfs(), nfsPrograms);
                java.util.function.Function<Boolean, Map<OncRpcProgram, RpcDispatchable>> mountPrograms = udp -> Map.of(
                        new OncRpcProgram(Mount3.PROGRAM, 3), RpcPrograms.dispatcher("MOUNT", 6, mount::call, state, null, p -> false, udp, p -> p != Mount3.MNT, executor),
                        new OncRpcProgram(Mount3.PROGRAM, 1), RpcPrograms.mismatch(3, 3),
                        new OncRpcProgram(Mount3.PROGRAM, 2), RpcPrograms.mismatch(3, 3));
                int mountPort = listen("mount", bind, cluster.ports().mount(), mountPrograms);
                for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
                    portmap.set(Nfs3.PROGRAM, 3, proto, nfsPort);
                    portmap.set(Mount3.PROGRAM, 3, proto, mountPort);
                    portmap.set(Portmap2.PROGRAM, 2, proto, 0);
                }
                startPortmap(bind, cluster.ports().portmap(), nfsPort, mountPort);
                return null;
            });
        } catch (Exception e) {
            close();
            throw new IOException("could not start the embedded NFS server on " + Ipv4.format(cluster.network().server())
                    + " in the " + seam.describe() + ": " + e.getMessage(), e);
        }
        LOG.info("embedded NFS server exports {} to {} on {}", root, rules.stream().map(ExportRule::render).toList(), endpoints);
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

    private int listen(String name, InetAddress bind, int port, java.util.function.Function<Boolean, Map<OncRpcProgram, RpcDispatchable>> programs)
            throws IOException {
        OncRpcSvc tcp = build(name, bind, port, IpProtocolType.TCP, programs.apply(false));
        tcp.start();
        services.add(tcp);
        InetSocketAddress tcpAddress = tcp.getInetSocketAddress(IpProtocolType.TCP);
        OncRpcSvc udp = build(name, bind, tcpAddress.getPort(), IpProtocolType.UDP, programs.apply(true));
        udp.start();
        services.add(udp);
        endpoints.put(name, tcpAddress);
        endpoints.put(name + "-udp", udp.getInetSocketAddress(IpProtocolType.UDP));
        return tcpAddress.getPort();
    }

    private OncRpcSvc build(String name, InetAddress bind, int port, int protocol, Map<OncRpcProgram, RpcDispatchable> programs) {
        OncRpcSvcBuilder b = new OncRpcSvcBuilder()
                .withBindAddress(bind.getHostAddress())
                .withPort(port)
                .withIpProtocolType(protocol)
                .withoutAutoPublish()
                // Calls are decoded on the selector threads; RpcPrograms answers quick metadata
                // calls there and hands everything that may wait on the disk to virtual threads.
                .withSameThreadIoStrategy()
                .withSelectorThreadPoolSize(name.equals("nfs") ? Math.max(2, Runtime.getRuntime().availableProcessors()) : 1)
                // A cheap placeholder: tune() gives every transport the server's one shared pool.
                .withMemoryAllocator(org.dcache.oncrpc4j.rpc.MemoryAllocator.HEAP)
                .withServiceName("netboot4j-" + name);
        programs.forEach(b::withRpcService);
        OncRpcSvc svc = b.build();
        tune(svc, protocol == IpProtocolType.TCP && name.equals("nfs"));
        return svc;
    }

    /** Socket buffer of the NFS TCP connections, both ways: one whole READ reply or WRITE call. */
    static final int SOCKET_BUFFER = Nfs3.MAX_IO + 64 * 1024;

    /**
     * Gives the service's transports the server's one shared {@link SplitMemory} (oncrpc4j's
     * own {@code POOLED_DIRECT} gives each service a pool of 3 % of the maximum heap, filled
     * at start: six services took 1.2 GB before the first call) and, for NFS over
     * TCP ({@code large}), lets them move a whole 1 MiB READ reply or WRITE call per
     * system call: Grizzly reads 64 KiB per read call by default (a selector round per
     * 64 KiB of a WRITE), and writes at most 1.5 times the socket's send buffer per attempt,
     * which a fresh Linux socket reports as 16 KiB: a 1 MiB READ reply then left in about 40
     * pieces, each waiting for the selector. oncrpc4j does not expose its transports, hence
     * the reflection; without it the server works, slower and larger.
     */
    private void tune(OncRpcSvc svc, boolean large) {
        try {
            java.lang.reflect.Field f = OncRpcSvc.class.getDeclaredField("_transports");
            f.setAccessible(true);
            for (Object t : (List<?>) f.get(svc)) {
                if (t instanceof org.glassfish.grizzly.nio.NIOTransport nio) {
                    nio.setMemoryManager(memory);
                }
                if (large && t instanceof org.glassfish.grizzly.nio.transport.TCPNIOTransport tcp) {
                    tcp.setReadBufferSize(SOCKET_BUFFER);
                    tcp.setWriteBufferSize(SOCKET_BUFFER);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not tune the transports of {}: {}", svc, e.toString());
        }
    }

    private void startPortmap(InetAddress bind, int port, int nfsPort, int mountPort) throws IOException {
        if (port != 0) {
            try (PortmapClient system = PortmapClient.probe(InetAddress.getLoopbackAddress(), port, 1000)) {
                if (system != null) {
                    for (int v : new int[] {Nfs3.VERSION}) {
                        system.unset(Nfs3.PROGRAM, v);
                    }
                    system.unset(Mount3.PROGRAM, Mount3.VERSION);
                    boolean ok = true;
                    for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
                        ok &= system.set(Nfs3.PROGRAM, 3, proto, nfsPort);
                        ok &= system.set(Mount3.PROGRAM, 3, proto, mountPort);
                    }
                    if (!ok) {
                        throw new IOException("the system portmapper on port " + port + " refused to register NFS and MOUNT");
                    }
                    registeredWithSystem = true;
                    endpoints.put("portmap", new InetSocketAddress(bind, port));
                    LOG.info("registered NFS and MOUNT with the system portmapper on port {}", port);
                    return;
                }
            }
        }
        java.util.function.Function<Boolean, Map<OncRpcProgram, RpcDispatchable>> programs = udp -> Map.of(
                new OncRpcProgram(Portmap2.PROGRAM, 2), RpcPrograms.dispatcher("PORTMAP", 6, (proc, in, caller) -> {
                    boolean local = caller.address().isLoopbackAddress() || caller.address().equals(bind);
                    return portmap.call(proc, in, local);
                }, state, null, p -> false, udp, p -> true, executor),
                new OncRpcProgram(Portmap2.PROGRAM, 3), RpcPrograms.mismatch(2, 2),
                new OncRpcProgram(Portmap2.PROGRAM, 4), RpcPrograms.mismatch(2, 2));
        int p = listen("portmap", bind, port, programs);
        for (int proto : new int[] {Portmap2.IPPROTO_TCP, Portmap2.IPPROTO_UDP}) {
            portmap.set(Portmap2.PROGRAM, 2, proto, p);
        }
    }

    @Override
    public synchronized Map<String, InetSocketAddress> endpoints() {
        return Map.copyOf(endpoints);
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
        for (OncRpcSvc s : services) {
            try {
                s.stop(1, TimeUnit.SECONDS);
            } catch (IOException | RuntimeException e) {
                LOG.warn("stopping {} failed: {}", s, e.getMessage());
            }
        }
        services.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
        if (state != null) {
            state.close();
        }
        endpoints.clear();
    }
}
