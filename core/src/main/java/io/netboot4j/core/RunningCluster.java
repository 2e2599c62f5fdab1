package io.netboot4j.core;

import io.netboot4j.core.internal.EventDispatcher;
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
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
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

    private volatile Cluster cluster;
    private final NodeStateTable table;
    private final EventDispatcher dispatcher;
    private final List<ClusterService> services = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path workFolder;
    private final Admission admission;
    private final Learning learning;

    private RunningCluster(Learning learning, List<BootEventListener> initial, Path workFolder, Clock clock) {
        Cluster cluster = learning.cluster();
        this.learning = learning;
        this.cluster = cluster;
        this.admission = Admission.of(cluster, clock);
        this.table = new NodeStateTable(cluster, clock);
        this.dispatcher = new EventDispatcher("netboot4j-events-" + cluster.name(), initial);
        this.workFolder = workFolder;
    }

    static RunningCluster start(Cluster cluster, List<BootEventListener> listeners) {
        String unprepared = ClusterPreparation.unpreparedProblem(cluster);
        if (unprepared != null) {
            throw new ClusterStartException("cluster " + cluster.name(), new IllegalStateException(unprepared));
        }
        Path work = ClusterPreparation.workFolder(cluster);
        Learning learning = Learning.load(cluster, work, Clock.systemUTC());
        RunningCluster running = new RunningCluster(learning, listeners, work, Clock.systemUTC());
        var choices = running.cluster.providers();
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
        dispatcher.close();
    }

    /**
     * Takes an event from a service: folds it into the node table at once (so
     * {@link #await} and {@link #status} see it when the service returns), then queues it for
     * the listeners' thread.
     */
    void publish(BootEvent event) {
        boolean known = table.apply(event).isPresent();
        if (event instanceof BootEvent.NodeDiscovered d) {
            learning.discovered(d, cluster);
        }
        LOG.debug("{}", event.describe());
        dispatcher.publish(event, known);
    }

    /**
     * Applies a changed description to the running services without stopping them: nodes
     * added, removed or changed (see {@code Cluster.toBuilder()}), boot settings. Every
     * service is asked first ({@link ClusterService#supportsUpdate}); if one cannot apply
     * it, nothing changes. Then the node table gains and loses rows and a
     * {@link BootEvent.ClusterUpdated} says what changed. Calls are serialized.
     *
     * @param next the new description, built by a {@link ClusterBuilder}
     * @return the event published for the change
     * @throws IllegalArgumentException naming every setting that cannot change while running
     *     (name, network, ports, root filesystem, providers) or if {@code next} still needs {@code prepare()}
     * @throws UnsupportedOperationException naming the running services that cannot apply it
     * @throws IllegalStateException if the cluster is closed, or a service failed to apply
     *     it (the services named in the message have applied it)
     */
    public synchronized BootEvent.ClusterUpdated update(Cluster next) {
        java.util.Objects.requireNonNull(next, "next");
        if (closed.get()) {
            throw new IllegalStateException("cluster " + cluster.name() + " is closed");
        }
        Cluster now = cluster;
        List<String> fixed = LiveChange.unchangeable(now, next);
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException("cannot change while cluster " + now.name() + " runs: " + String.join("; ", fixed));
        }
        String unprepared = ClusterPreparation.unpreparedProblem(next);
        if (unprepared != null) {
            throw new IllegalArgumentException(unprepared);
        }
        List<String> refusing = services.stream().filter(s -> !s.supportsUpdate(next)).map(ClusterService::name).toList();
        if (!refusing.isEmpty()) {
            throw new UnsupportedOperationException("cluster " + now.name() + " cannot change while it runs: "
                    + String.join(", ", refusing) + " cannot apply a changed description; close the cluster and start it again");
        }
        admission.nodes(next);
        table.update(next);
        cluster = next;
        List<String> applied = new ArrayList<>();
        for (ClusterService s : services) {
            try {
                s.update(next);
                applied.add(s.name());
            } catch (RuntimeException e) {
                throw new IllegalStateException(s.name() + " failed to apply the change to cluster " + now.name()
                        + (applied.isEmpty() ? "" : " (already applied by " + String.join(", ", applied) + ")"), e);
            }
        }
        try {
            learning.save(next);
        } catch (RuntimeException e) {
            LOG.warn("cluster {} changed, but its learned state could not be written: {}", now.name(), e.getMessage());
        }
        BootEvent.ClusterUpdated event = LiveChange.event(now, next, Clock.systemUTC().instant());
        LOG.info("{}", event.describe());
        dispatcher.publish(event, true); // about the cluster, not an unknown source: never dropped
        return event;
    }

    /**
     * Makes the machine {@code mac} (for example one {@link #discovered()}) node {@code name} at
     * {@code address}: checked as {@link ClusterBuilder#build()} checks, then applied as
     * {@link #update(Cluster)} applies a change, and written to the work folder so a restart
     * on it keeps the node. Its next boot (a power cycle) is a node's boot.
     *
     * @return the new node
     * @throws ClusterConfigException listing every problem (the name or MAC is a node's already,
     *     the address is outside the subnet, taken, in a pool, ...)
     * @throws UnsupportedOperationException if a running service cannot take a changed description
     * @throws IllegalStateException if the cluster is closed
     */
    public synchronized Node adopt(MacAddress mac, String name, Inet4Address address) {
        return adopted(Learning.adopt(cluster, mac, name, address), mac);
    }

    /**
     * Like {@link #adopt(MacAddress, String, Inet4Address)}, with the name and address that the
     * cluster's {@link Discovery} rules give: the name pattern's lowest free number, the lowest
     * free address of its range.
     *
     * @throws IllegalStateException if the cluster has no {@link Discovery} settings, or is closed
     * @throws ClusterConfigException if no address is free, or as the other form
     */
    public synchronized Node adopt(MacAddress mac) {
        return adopted(Learning.adopt(cluster, mac), mac);
    }

    private Node adopted(Cluster next, MacAddress mac) {
        update(next);
        learning.adopted(mac, next);
        Node node = next.nodeByMac(mac).orElseThrow();
        LOG.info("cluster {}: adopted {} as {} at {}", next.name(), mac, node.hostname(), Ipv4.format(node.address()));
        return node;
    }

    /**
     * The machines discovery saw and that are not adopted yet, last seen the longest ago
     * first (bounded and expiring, see {@link Discovery}); kept across a restart on the same
     * work folder.
     */
    public List<BootEvent.NodeDiscovered> discovered() {
        return learning.records().all(Clock.systemUTC().instant()).stream()
                .filter(d -> cluster.nodeByMac(d.macAddress()).isEmpty()).toList();
    }

    /** The cluster this runs (the last description given to {@link #update(Cluster)}, if any). */
    public Cluster cluster() {
        return cluster;
    }

    /** The running services, in start order. */
    public List<ClusterService> services() {
        return List.copyOf(services);
    }

    /**
     * The running service of {@code type}, for typed access to what it offers beyond
     * {@link ClusterService} (for example the embedded DHCP server's counters).
     *
     * @param type a service class or interface, for example {@code AddressAllocation.class}
     * @throws IllegalArgumentException naming the running services and their classes if none is a {@code type}
     */
    public <T> T service(Class<T> type) {
        return findService(type).orElseThrow(() -> new IllegalArgumentException("no running service of cluster " + cluster.name()
                + " is a " + type.getName() + "; running: " + services.stream()
                .map(s -> s.name() + " (" + s.getClass().getName() + ")").collect(java.util.stream.Collectors.joining(", "))));
    }

    /** The running service of {@code type}, if one is (the first in start order). */
    public <T> Optional<T> findService(Class<T> type) {
        return services.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The folder where services keep generated files and state. */
    public Path workFolder() {
        return workFolder;
    }

    /**
     * Adds a listener for events from now on. Listeners are called on one event thread of
     * this cluster, one event at a time in the order the services reported them, never on
     * a server's network thread; see {@link BootEventListener}.
     */
    public void addListener(BootEventListener listener) {
        dispatcher.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(BootEventListener listener) {
        dispatcher.remove(listener);
    }

    /**
     * Waits until the listeners have been given every event reported before this call (the
     * node table is always up to date; listeners run a little behind it).
     *
     * @return whether they were within {@code timeout}
     */
    public boolean awaitListeners(Duration timeout) throws InterruptedException {
        return dispatcher.awaitDelivered(timeout);
    }

    /** Events about unknown sources not given to listeners because they fell behind; see {@link BootEventListener}. */
    public long droppedEvents() {
        return dispatcher.dropped();
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
        return await(node(hostname), state, timeout);
    }

    /**
     * Waits until {@code node} reaches {@code state} (or a later one).
     *
     * @throws IllegalArgumentException if the node is not one of this cluster's
     * @throws TimeoutException naming the node and the state it is in
     */
    public NodeStatus await(Node node, NodeState state, Duration timeout) throws InterruptedException, TimeoutException {
        if (!cluster.nodes().contains(node)) {
            throw new IllegalArgumentException("node " + node.hostname() + " is not a node of cluster " + cluster.name());
        }
        return table.await(List.of(node), s -> s.state().compareTo(state) >= 0, timeout, state.name()).getFirst();
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
     * Stops every service in reverse start order, then gives the listeners the events still
     * queued and stops the event thread; idempotent.
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
        try {
            learning.flush(cluster);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
