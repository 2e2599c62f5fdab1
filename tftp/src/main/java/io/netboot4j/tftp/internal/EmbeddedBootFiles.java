package io.netboot4j.tftp.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.tftp.TftpServer;
import io.netboot4j.tftp.TftpSettings;
import io.netboot4j.tftp.TftpSource;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded boot-file service: a {@link TftpServer} serving the cluster's {@link PxeBootTree}. */
public final class EmbeddedBootFiles implements BootFileService {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBootFiles.class);

    private final ServiceContext context;
    private final Function<Cluster, PxeBootTree> treeOf;
    private final Consumer<TftpServer.Builder> adjust;
    private final AtomicInteger state = new AtomicInteger();
    private volatile TftpServer server;

    /** @see io.netboot4j.tftp.EmbeddedTftpProvider */
    public EmbeddedBootFiles(ServiceContext context, Function<Cluster, PxeBootTree> treeOf, Consumer<TftpServer.Builder> adjust) {
        this.context = context;
        this.treeOf = treeOf;
        this.adjust = adjust;
    }

    @Override
    public String name() {
        return "embedded TFTP";
    }

    @Override
    public void start() throws Exception {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException(name() + (state.get() == 2 ? " is closed" : " was already started"));
        }
        Cluster cluster = context.cluster();
        PxeBootTree tree = treeOf.apply(cluster);
        for (String m : tree.missing()) {
            LOG.warn("boot tree of {}: missing {}; clients asking for it get 'file not found'", cluster.name(), m);
        }
        TftpServer.Builder b = TftpServer.builder()
                .source(TftpSource.of(tree))
                .address(new InetSocketAddress(cluster.network().server(), cluster.ports().tftp()))
                .network(context.network())
                .events(context.events())
                .clock(context.clock())
                .admission(context.admission())
                .name("tftp-" + cluster.name());
        TftpSettings.of(cluster).applyTo(b);
        adjust.accept(b);
        TftpServer s = b.build();
        server = s;
        try {
            s.start();
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        TftpServer s = server;
        return s == null || state.get() != 1 ? Map.of() : Map.of("tftp", s.localAddress());
    }

    /** The running server, for its statistics. */
    public TftpServer server() {
        return server;
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        TftpServer s = server;
        if (s != null) {
            s.close();
        }
    }
}
