package io.netboot4j.core;

import io.netboot4j.core.internal.NodeStateTable;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.ClusterService;
import io.netboot4j.core.spi.ProviderChoice;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.core.spi.ServiceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started cluster: its services, and the state of each node folded from their
 * {@link BootEvent}s (see {@link NodeState}). Close it to stop every service, in the
 * reverse order of starting.
 */
public final class RunningCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCluster.class);

    private final Cluster cluster;
    private final NodeStateTable table;
    private final List<BootEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ClusterService> services = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path workFolder;
    private final Admission admission;

    private RunningCluster(Cluster cluster, List<BootEventListener> initial, Path workFolder, Clock clock) {
        this.cluster = cluster;
        this.admission = Admission.of(cluster, clock);
        this.table = new NodeStateTable(cluster, clock);
        this.listeners.addAll(initial);
        this.workFolder = workFolder;
    }

    static RunningCluster start(Cluster cluster, List<BootEventListener> listeners) {
        Path work = cluster.workFolder().orElseGet(() -> {
            try {
                return Files.createTempDirectory("netboot4j-" + cluster.name() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a work folder", e);
            }
        });
        RunningCluster running = new RunningCluster(cluster, listeners, work, Clock.systemUTC());
        var choices = cluster.providers();
        running.startService(RootExportProvider.class, choices.rootExport(), "root export");
        running.startService(BootFileServiceProvider.class, choices.bootFiles(), "boot files");
        running.startService(AddressAllocationProvider.class, choices.addressAllocation(), "address allocation");
        return running;
    }

    private <S extends ClusterService, P extends ServiceProvider<S>> void startService(Class<P> type, ProviderChoice<P> choice,
                                                                                     String concern) {
        ClusterService service = null;
        String name = concern;
        try {
            P provider = Providers.choose(type, choice, "embedded", Providers.available(type));
            name = provider.name() + " " + concern;
            Path folder = workFolder.resolve(concern.replace(' ', '-'));
            Files.createDirectories(folder);
            service = provider.create(new ServiceContext(cluster, folder, this::publish, cluster.networkSeam(), Clock.systemUTC(),
                    admission));
            name = service.name();
            service.start();
            services.add(service);
            LOG.info("started {} {}", name, service.endpoints());
        } catch (Exception e) {
            ClusterStartException failure = new ClusterStartException(name, e);
            if (service != null) {
                closeQuietly(service, failure);
            }
            closeAll(failure);
            throw failure;
        }
    }

    private static void closeQuietly(ClusterService s, Throwable into) {
        try {
            s.close();
        } catch (RuntimeException e) {
            into.addSuppressed(e);
        }
    }

    private void closeAll(Throwable into) {
        closed.set(true);
        List<ClusterService> reversed = new ArrayList<>(services);
        Collections.reverse(reversed);
        for (ClusterService s : reversed) {
            closeQuietly(s, into);
            LOG.info("stopped {}", s.name());
        }
        services.clear();
    }

    /** Delivers an event: folds it into the node table, then calls the listeners. */
    void publish(BootEvent event) {
        table.apply(event);
        LOG.debug("{}", event.describe());
        for (BootEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("boot event listener {} threw on {}; ignored", l, event.describe(), e);
            }
        }
    }

    /** The cluster this runs. */
    public Cluster cluster() {
        return cluster;
    }

    /** The running services, in start order. */
    public List<ClusterService> services() {
        return List.copyOf(services);
    }

    /** The folder where services keep generated files and state. */
    public Path workFolder() {
        return workFolder;
    }

    /** Adds a listener for events from now on. */
    public void addListener(BootEventListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(BootEventListener listener) {
        listeners.remove(listener);
    }

    /** The status of every node, in cluster order. */
    public List<NodeStatus> statuses() {
        return table.all();
    }

    /**
     * The status of one node.
     *
     * @throws IllegalArgumentException if the cluster has no such node
     */
    public NodeStatus status(String hostname) {
        return table.of(node(hostname));
    }

    private Node node(String hostname) {
        return cluster.nodeByName(hostname).orElseThrow(
                () -> new IllegalArgumentException("no node '" + hostname + "' in cluster " + cluster.name()));
    }

    /**
     * Waits until node {@code hostname} reaches {@code state} (or a later one).
     *
     * @throws TimeoutException naming the node and the state it is in
     */
    public NodeStatus await(String hostname, NodeState state, Duration timeout) throws InterruptedException, TimeoutException {
        return table.await(List.of(node(hostname)), s -> s.state().compareTo(state) >= 0, timeout, state.name()).getFirst();
    }

    /**
     * Waits until every node reaches {@code state} (or a later one).
     *
     * @throws TimeoutException listing the nodes that did not, with their states
     */
    public List<NodeStatus> awaitAll(NodeState state, Duration timeout) throws InterruptedException, TimeoutException {
        return table.await(cluster.nodes(), s -> s.state().compareTo(state) >= 0, timeout, state.name());
    }

    /** A table with one row per node: name, MAC, address, state, last event and its age. */
    public String statusTable() {
        return table.render();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops every service in reverse start order; idempotent.
     *
     * @throws IllegalStateException if a service failed to close (the others are still closed;
     *     each failure is a suppressed exception)
     */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        IllegalStateException failure = new IllegalStateException("some services of cluster " + cluster.name() + " failed to close");
        closeAll(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
