package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.internal.Daemon;
import io.netboot4j.core.internal.Processes;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code nfs-ganesha} root export: renders ganesha.conf into the work folder, starts
 * {@code rpcbind} when no portmapper answers on port 111, then {@code ganesha.nfsd} in
 * the foreground as a child process; returns once it answers NFS NULL calls. Closing
 * stops both (rpcbind only if started here). A live change rewrites ganesha.conf and
 * sends SIGHUP (see {@link #update}).
 */
public final class GaneshaExport implements RootExport {

    private static final Logger LOG = LoggerFactory.getLogger(GaneshaExport.class);
    private static final int READY_SECONDS = 60;
    private static final java.time.Duration READY = java.time.Duration.ofSeconds(READY_SECONDS);
    /** ganesha.nfsd's log line at the end of a SIGHUP reload (reread_exports). */
    private static final String RELOADED = "Reread exports complete";

    private final ServiceContext context;
    private final java.util.function.Function<io.netboot4j.core.Cluster, List<ExportRule>> rulesOf;
    private volatile io.netboot4j.core.Cluster cluster;
    private int nfsPort;
    private int mountPort;
    private final String fsal;
    private final Map<String, String> fsalOptions;
    private final Map<String, InetSocketAddress> endpoints = new LinkedHashMap<>();
    private Daemon ganesha;
    private Daemon rpcbind;
    private Path folder;
    private Thread shutdownHook;
    private final ServiceState state = new ServiceState("the nfs-ganesha export");

    public GaneshaExport(ServiceContext context, List<ExportRule> rules, String fsal, Map<String, String> fsalOptions) {
        this(context, c -> rules, fsal, fsalOptions);
    }

    /** @param rulesOf the export rules of a cluster description, asked again on a live change */
    public GaneshaExport(ServiceContext context, java.util.function.Function<io.netboot4j.core.Cluster, List<ExportRule>> rulesOf,
                         String fsal, Map<String, String> fsalOptions) {
        this.context = context;
        this.rulesOf = rulesOf;
        this.cluster = context.cluster();
        this.fsal = fsal;
        this.fsalOptions = new LinkedHashMap<>(fsalOptions);
    }

    @Override
    public String name() {
        return "nfs-ganesha root export";
    }

    /** The configuration for these ports. */
    public String render(int nfsPort, int mountPort) {
        return render(cluster, nfsPort, mountPort);
    }

    private String render(io.netboot4j.core.Cluster c, int nfsPort, int mountPort) {
        return GaneshaConfig.render(c, nfsPort, mountPort, rulesOf, fsal, fsalOptions);
    }

    /**
     * Yes while ganesha.nfsd runs and every root of {@code next} is a folder: its EXPORT blocks
     * are reloaded on SIGHUP, which adds and removes exports too (a group root's EXPORT comes
     * and goes; the others keep their Export_Id, see {@link GaneshaConfig#exportIds}).
     */
    @Override
    public synchronized boolean supportsUpdate(io.netboot4j.core.Cluster next) {
        return state.isRunning() && ganesha != null && ganesha.isAlive()
                && next.rootFilesystems().stream().allMatch(r -> Files.isDirectory(r.path()));
    }

    /**
     * Writes {@code next}'s ganesha.conf over the running one (atomically, same ports) and
     * sends ganesha.nfsd SIGHUP, which re-reads the EXPORT blocks and swaps each export's
     * client list atomically (ganesha-export-config(8), "reloading exports"); waits until
     * its log says {@code Reread exports complete}. Operations under way finish with the
     * permissions they were admitted with. No DBus daemon is needed. Nothing is sent if the
     * configuration is unchanged.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written or ganesha does not
     *     confirm the reload within the start timeout (its log tail is in the message)
     */
    @Override
    public synchronized void update(io.netboot4j.core.Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " is not running");
        }
        String after = render(next, nfsPort, mountPort);
        if (after.equals(render(cluster, nfsPort, mountPort))) {
            cluster = next;
            return;
        }
        Path log = folder.resolve("ganesha.log");
        try {
            int before = reloads(log);
            AtomicFiles.writeString(folder.resolve("ganesha.conf"), after);
            Processes.check(List.of("kill", "-HUP", Long.toString(ganesha.pid())), java.time.Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
            while (reloads(log) <= before) {
                if (!ganesha.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("ganesha.nfsd did not confirm reloading its exports"
                            + (ganesha.isAlive() ? " within " + READY_SECONDS + " s" : " (it exited)") + ": " + logTail(log));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(name() + " could not apply the changed cluster " + next.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ganesha.nfsd reloads its exports", e);
        }
        cluster = next;
        LOG.info("nfs-ganesha reloaded its exports of {}", next.rootFilesystems().stream().map(r -> r.path().toString()).toList());
    }

    /** How often ganesha's log says it re-read its exports. */
    private static int reloads(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = text.indexOf(RELOADED); i >= 0; i = text.indexOf(RELOADED, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public synchronized void start() throws Exception {
        state.start();
        InetAddress bind = context.cluster().network().server();
        folder = context.workFolder().resolve("ganesha");
        Files.createDirectories(folder);
        Path conf = folder.resolve("ganesha.conf");
        // The daemons are our children: stop them if the JVM exits without close().
        shutdownHook = new Thread(this::close, "nfs-ganesha-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        boolean chosenPorts = context.cluster().ports().nfs() != 0 && context.cluster().ports().mount() != 0;
        try {
            if (answers(InetAddress.getLoopbackAddress(), 111, Portmap2.PROGRAM, 2)) {
                LOG.info("using the running portmapper on port 111");
            } else {
                rpcbind = Daemon.start("rpcbind", context.network(), List.of("rpcbind", "-f", "-w"), Map.of(),
                        folder.resolve("rpcbind.log"), d -> answers(InetAddress.getLoopbackAddress(), 111, Portmap2.PROGRAM, 2), READY);
            }
            // Ports picked here (configured 0) may be taken by someone else before ganesha binds
            // them: then ganesha exits, and we try again with other free ports.
            for (int attempt = 1; ; attempt++) {
                nfsPort = port(context.cluster().ports().nfs(), bind);
                mountPort = port(context.cluster().ports().mount(), bind);
                AtomicFiles.writeString(conf, render(nfsPort, mountPort));
                Path log = folder.resolve("ganesha.log");
                final int port = nfsPort;
                try {
                    ganesha = Daemon.start("ganesha.nfsd", context.network(), List.of("ganesha.nfsd", "-F", "-f", conf.toString(),
                            "-L", log.toString(), "-p", folder.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT"), Map.of(),
                            folder.resolve("ganesha.out"), d -> answers(bind, port, Nfs3.PROGRAM, 3), READY);
                    break;
                } catch (IOException e) {
                    // Daemon.start has stopped it; its own log says why it exited
                    IOException withLog = new IOException(e.getMessage() + "\nganesha.log: " + logTail(log), e);
                    if (chosenPorts || attempt >= 3) {
                        throw withLog;
                    }
                    LOG.info("ganesha.nfsd exited on ports {}/{} ({}); trying other free ports", nfsPort, mountPort, withLog.getMessage());
                }
            }
        } catch (Exception e) {
            close();
            throw e instanceof IOException ? e : new IOException(e.getMessage(), e);
        }
        endpoints.put("nfs", new InetSocketAddress(bind, nfsPort));
        endpoints.put("mount", new InetSocketAddress(bind, mountPort));
        LOG.info("nfs-ganesha exports {} on {} (FSAL {})", context.cluster().rootFilesystems().stream().map(r -> r.path().toString()).toList(),
                endpoints, fsal);
    }

    private int port(int configured, InetAddress bind) throws Exception {
        if (configured != 0) {
            return configured;
        }
        return context.network().call(() -> {
            try (ServerSocket s = new ServerSocket(0, 1, bind)) {
                return s.getLocalPort();
            }
        });
    }

    /** Whether {@code program} version {@code version} answers a NULL call at {@code address:port}, asked in the seam. */
    private boolean answers(InetAddress address, int port, int program, int version) throws Exception {
        return context.network().call(() -> PortmapClient.ping(address, port, program, version, 500));
    }

    private static String logTail(Path log) {
        try {
            return Files.exists(log) ? Processes.tail(Files.readString(log, StandardCharsets.UTF_8)) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized Map<String, InetSocketAddress> endpoints() {
        return Map.copyOf(endpoints);
    }

    @Override
    public synchronized void close() {
        if (state.close() == ServiceState.Phase.CLOSED) {
            return;
        }
        if (ganesha != null) {
            ganesha.close();
        }
        if (rpcbind != null) {
            rpcbind.close();
        }
        endpoints.clear();
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }
}
