package io.netboot4j.tftp.internal;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.tftp.TftpServer;
import io.netboot4j.http.HttpBootServer;
import io.netboot4j.tftp.TftpSettings;
import io.netboot4j.tftp.TftpSource;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded boot-file service: a {@link TftpServer} and (unless turned off) an
 * {@link HttpBootServer} serving the cluster's one {@link PxeBootTree}.
 */
public final class EmbeddedBootFiles implements BootFileService {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBootFiles.class);

    private final ServiceContext context;
    private final Function<Cluster, PxeBootTree> treeOf;
    private final Consumer<TftpServer.Builder> adjust;
    private final Optional<Consumer<HttpBootServer.Builder>> adjustHttp;
    private final ServiceState state;
    private volatile TftpServer server;
    private volatile HttpBootServer httpServer;
    /** The tree's files for TFTP; replaced whole by {@link #update(Cluster)}. */
    private volatile TftpSource files;

    /** @see io.netboot4j.tftp.EmbeddedTftpProvider */
    public EmbeddedBootFiles(ServiceContext context, Function<Cluster, PxeBootTree> treeOf, Consumer<TftpServer.Builder> adjust,
                             Optional<Consumer<HttpBootServer.Builder>> adjustHttp) {
        this.context = context;
        this.treeOf = treeOf;
        this.adjust = adjust;
        this.adjustHttp = adjustHttp;
        this.state = new ServiceState(name());
    }

    @Override
    public String name() {
        return adjustHttp.isPresent() ? "embedded TFTP+HTTP" : "embedded TFTP";
    }

    @Override
    public void start() throws Exception {
        state.start();
        Cluster cluster = context.cluster();
        PxeBootTree tree = treeOf.apply(cluster);
        warnMissing(cluster, tree);
        try {
            if (adjustHttp.isPresent()) {
                tree = startHttp(cluster, tree);
            }
            files = TftpSource.of(tree);
            TftpServer.Builder b = TftpServer.builder()
                    .source(name -> files.open(name))
                    .address(new InetSocketAddress(cluster.network().server(), cluster.ports().tftp()))
                    .context(context)
                    .name("tftp-" + cluster.name());
            TftpSettings.of(cluster).applyTo(b);
            adjust.accept(b);
            TftpServer s = b.build();
            server = s;
            s.start();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Starts the HTTP server; returns the tree both serve (made again if the HTTP port was chosen at start). */
    private PxeBootTree startHttp(Cluster cluster, PxeBootTree tree) throws Exception {
        HttpBootServer.Builder b = HttpBootServer.builder()
                .tree(tree)
                .address(new InetSocketAddress(cluster.network().server(), cluster.ports().http()))
                .context(context)
                .name("http-" + cluster.name());
        adjustHttp.get().accept(b);
        HttpBootServer h = b.build();
        httpServer = h;
        h.start();
        if (cluster.ports().http() != 0) {
            return tree;
        }
        PxeBootTree actual = treeOf(cluster);
        h.serve(actual);
        return actual;
    }

    /** The tree of {@code cluster}; with HTTP on port 0 (tests), its URLs (the iPXE script) name the port chosen. */
    private PxeBootTree treeOf(Cluster cluster) {
        HttpBootServer h = httpServer;
        if (h == null || cluster.ports().http() != 0) {
            return treeOf.apply(cluster);
        }
        return treeOf.apply(cluster.toBuilder().ports(cluster.ports().withHttp(h.localAddress().getPort())).build());
    }

    private static void warnMissing(Cluster cluster, PxeBootTree tree) {
        for (String m : tree.missing()) {
            LOG.warn("boot tree of {}: missing {}; clients asking for it get 'file not found'", cluster.name(), m);
        }
    }

    /** Yes while running: the tree is made again from any description. */
    @Override
    public boolean supportsUpdate(Cluster next) {
        return state.isRunning();
    }

    /**
     * Serves the tree of {@code next} over TFTP and HTTP from the next request on (per-node
     * files of new nodes appear, those of removed nodes go); transfers under way finish with
     * the file they opened.
     */
    @Override
    public void update(Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " is not running");
        }
        PxeBootTree tree = treeOf(next);
        warnMissing(next, tree);
        HttpBootServer h = httpServer;
        if (h != null) {
            h.serve(tree);
        }
        files = TftpSource.of(tree);
        LOG.info("{} serves the boot tree of {} nodes of cluster {} from now on", name(), next.nodes().size(), next.name());
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        TftpServer s = server;
        HttpBootServer h = httpServer;
        if (s == null || !state.isRunning()) {
            return Map.of();
        }
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        out.put("tftp", s.localAddress());
        if (h != null) {
            out.put("http", h.localAddress());
        }
        return Map.copyOf(out);
    }

    /** The running server, for its statistics. */
    public TftpServer server() {
        return server;
    }

    @Override
    public void close() {
        state.closeOnce(httpServer, server);
    }

    /** The running HTTP server, if HTTP is on, for its statistics. */
    public Optional<HttpBootServer> httpServer() {
        return Optional.ofNullable(httpServer);
    }
}
