package io.netboot4j.dhcp;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Discovery;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.net.InterfaceSocket;
import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.core.spi.FloodWatch;
import io.netboot4j.dhcp.internal.DhcpEngine;
import io.netboot4j.dhcp.internal.DhcpGate;
import io.netboot4j.dhcp.internal.DhcpTally;
import io.netboot4j.dhcp.internal.LeaseStore;
import io.netboot4j.dhcp.internal.ProxyDhcpEngine;
import io.netboot4j.dhcp.internal.RouterAdvertiser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DHCP server: answers the cluster's nodes on the cluster interface alone
 * (see {@code dhcp/README.md} for its behaviour). Made by {@link EmbeddedDhcpProvider};
 * users normally get it through {@code cluster.start()}.
 *
 * <p>One platform thread receives (the interface socket blocks in a system call) and
 * handles each request at once; replies go out from the same socket, so they leave by the
 * cluster interface.
 */
public final class EmbeddedDhcpServer implements AddressAllocation {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDhcpServer.class);

    /** The name of the lease file of the dynamic pool inside the service's work folder. */
    public static final String LEASE_FILE = "dynamic.leases";
    /** The name of the lease file of the discovery pool inside the service's work folder. */
    public static final String DISCOVERY_LEASE_FILE = "discovery.leases";

    /** Kernel receive buffer of the socket: room for thousands of requests arriving at once. */
    static final int RECEIVE_BUFFER = 4 << 20;

    private final ServiceContext context;
    private final Cluster cluster;
    /** The DHCP decisions; null in proxyDHCP mode. */
    private final DhcpEngine engine;
    /** The proxyDHCP decisions; null unless in proxyDHCP mode. */
    private final ProxyDhcpEngine proxy;
    private final DhcpTally tally;
    private final DhcpGate gate;
    private volatile Thread linkWatch;
    private final ServiceState state = new ServiceState("the embedded DHCP server");
    private volatile InterfaceSocket socket;
    private volatile Thread loop;
    private volatile InterfaceSocket bootServerSocket;
    private volatile Thread bootServerLoop;
    private volatile RouterAdvertiser routerAdvertiser;

    /** Creates the server for the cluster in {@code context}; nothing is opened until {@link #start()}. */
    public EmbeddedDhcpServer(ServiceContext context) {
        this.context = context;
        this.cluster = context.cluster();
        DhcpSettings settings = DhcpSettings.of(cluster);
        Set<Integer> excluded = new HashSet<>();
        excluded.add(Ipv4.toInt(cluster.network().server()));
        excluded.add(Ipv4.toInt(cluster.network().router()));
        excluded.add(Ipv4.toInt(cluster.network().subnet().network()));
        excluded.add(Ipv4.toInt(cluster.network().broadcast()));
        for (Node n : cluster.nodes()) {
            excluded.add(Ipv4.toInt(n.address()));
        }
        cluster.network().relayedSubnets().forEach(r -> { // a pool may lie on a relayed subnet
            excluded.add(Ipv4.toInt(r.router()));
            r.relays().forEach(a -> excluded.add(Ipv4.toInt(a)));
        });
        LeaseStore pool = settings.allowsUnknownClients() ? new LeaseStore(context.workFolder().resolve(LEASE_FILE),
                settings.pools().stream().map(DhcpSettings.Pool::first).toList(),
                settings.pools().stream().map(DhcpSettings.Pool::last).toList(), excluded) : null;
        Discovery discovery = cluster.extension(Discovery.class).orElse(null);
        LeaseStore discoveryPool = discovery == null ? null : new LeaseStore(context.workFolder().resolve(DISCOVERY_LEASE_FILE),
                discovery.poolFirst(), discovery.poolLast(), excluded);
        this.proxy = settings.proxyDhcp() ? new ProxyDhcpEngine(cluster, context.events()) : null;
        this.engine = settings.proxyDhcp() ? null : new DhcpEngine(cluster, settings, pool, discoveryPool, context.events());
        this.tally = proxy != null ? proxy.tally() : engine.tally();
        this.gate = new DhcpGate(cluster, context.admission(), settings.allowsUnknownClients() || discovery != null,
                new FloodWatch(name(), context.events(), context.clock(), LOG), context.clock());
    }

    /**
     * Whether {@link #update(Cluster)} applies {@code next}: yes when its DHCP and
     * {@link Discovery} settings stay the same (in proxyDHCP mode too).
     */
    @Override
    public boolean supportsUpdate(Cluster next) {
        return (engine != null || proxy != null) && DhcpSettings.of(next).equals(DhcpSettings.of(cluster))
                && next.extension(Discovery.class).equals(cluster.extension(Discovery.class));
    }

    /**
     * Answers the nodes of {@code next} from the next request on: new nodes get their
     * address, removed nodes nothing (their renewals a DHCPNAK), changed nodes their new
     * settings. In proxyDHCP mode: new nodes get boot information, removed ones none (their
     * lease is the site server's), changed ones their new boot files.
     */
    @Override
    public void update(Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " applies a changed cluster only with the same DHCP and discovery"
                    + " settings; close the cluster and start it again");
        }
        gate.nodes(next);
        if (proxy != null) {
            proxy.update(next);
        } else {
            engine.update(next);
        }
        LOG.info("embedded DHCP answers {} nodes of cluster {} from now on", next.nodes().size(), next.name());
    }

    /** How one socket's datagrams are answered. */
    private interface Handler {
        DhcpEngine.Reply handle(byte[] data, int length, InetSocketAddress from, Instant now);
    }

    @Override
    public String name() {
        return "embedded DHCP";
    }

    /**
     * Checks the cluster interface, reloads the dynamic leases, opens the socket and starts
     * answering.
     *
     * @throws IOException if the interface does not exist, lacks the server address, or the
     *     port cannot be bound
     * @throws IllegalStateException if started twice or after {@link #close()}
     */
    @Override
    public void start() throws IOException {
        state.start();
        var net = cluster.network();
        context.network().requireInterfaceAddress(net.interfaceName(), net.server());
        if (engine != null && engine.pool() != null) {
            int n = engine.pool().load();
            LOG.info("dynamic pool {}: {} leases reloaded from {}", DhcpSettings.of(cluster).pools(), n, engine.pool().file());
        }
        if (engine != null && engine.discoveryPool() != null) {
            LOG.info("discovery pool: {} leases reloaded from {}", engine.discoveryPool().load(), engine.discoveryPool().file());
        }
        socket = context.network().openInterfaceUdp(net.interfaceName(), cluster.ports().dhcpServer());
        try {
            socket.receiveBufferSize(RECEIVE_BUFFER);
        } catch (IOException e) {
            LOG.warn("could not enlarge the receive buffer of the DHCP socket on {}: {}", net.interfaceName(), e.getMessage());
        }
        InterfaceSocket dhcp = socket;
        Handler handler = proxy != null ? (d, n, from, now) -> proxy.handleDhcp(d, n, now) : (d, n, from, now) -> engine.handle(d, n, now);
        loop = startLoop("dhcp-" + net.interfaceName(), dhcp, handler);
        if (proxy != null) {
            // PXE boot server port: the clients' requests for boot information after they have an address.
            bootServerSocket = context.network().openInterfaceUdp(net.interfaceName(), DhcpSettings.of(cluster).bootServerPort());
            bootServerLoop = startLoop("pxe-4011-" + net.interfaceName(), bootServerSocket, proxy::handleBootServer);
        }
        if (DhcpSettings.of(cluster).routerAdvertisements()) {
            startRouterAdvertiser(net.interfaceName());
        }
        LOG.info("embedded DHCP answers {} nodes on {} port {}{} ({})", cluster.nodes().size(), net.interfaceName(),
                socket.port(), proxy != null ? " as a proxyDHCP server, boot server port " + bootServerSocket.port() : "",
                context.network().describe());
        if (!context.network().isRunning(net.interfaceName())) {
            waitForLink(net.interfaceName());
        }
    }

    /**
     * The socket is bound to the interface whatever its link state, so requests arrive as
     * soon as the link comes up (as dnsmasq and Kea do); until then, say so once, and once
     * more when it is up.
     */
    private void waitForLink(String interfaceName) {
        String msg = "network interface '" + interfaceName + "' is down or has no carrier; DHCP answers as soon as it comes up";
        LOG.warn(msg);
        context.events().onEvent(new BootEvent.ServiceProblem(context.clock().instant(), name(), msg));
        linkWatch = Thread.ofVirtual().name("dhcp-link-" + interfaceName).start(() -> {
            while (!state.isClosed()) {
                try {
                    if (context.network().isRunning(interfaceName)) {
                        LOG.info("network interface '{}' is up: DHCP answering", interfaceName);
                        return;
                    }
                    Thread.sleep(LINK_POLL);
                } catch (IOException e) {
                    LOG.warn("cannot watch network interface '{}': {}", interfaceName, e.getMessage());
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** How often a down link is looked at, for the log line that says it came up. */
    static final Duration LINK_POLL = Duration.ofSeconds(1);

    /** The IPv6 responder is a speed-up, not a requirement: if it cannot run, DHCP goes on without it. */
    private void startRouterAdvertiser(String interfaceName) {
        RouterAdvertiser ra = new RouterAdvertiser(context.network(), interfaceName, context.clock());
        try {
            ra.start();
            routerAdvertiser = ra;
        } catch (Exception e) {
            ra.close();
            LOG.warn("no IPv6 router advertisement responder on {} (iPXE will wait for IPv6 autoconfiguration): {}",
                    interfaceName, e.getMessage());
            context.events().onEvent(new BootEvent.ServiceProblem(context.clock().instant(), name(),
                    "no IPv6 router advertisement responder on " + interfaceName + ": " + e.getMessage()));
        }
    }

    /** The IPv6 Router Advertisement responder, or null if it is switched off or could not start (for tests). */
    RouterAdvertiser routerAdvertiser() {
        return routerAdvertiser;
    }

    /** The UDP port the server listens on (useful with port 0); -1 before start. */
    public int port() {
        InterfaceSocket s = socket;
        return s == null ? -1 : s.port();
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        InterfaceSocket s = socket;
        if (s == null) {
            return Map.of();
        }
        InterfaceSocket b = bootServerSocket;
        if (b != null) {
            return Map.of("dhcp", new InetSocketAddress(cluster.network().server(), s.port()),
                    "pxe-boot-server", new InetSocketAddress(cluster.network().server(), b.port()));
        }
        return Map.of("dhcp", new InetSocketAddress(cluster.network().server(), s.port()));
    }

    /** What the server has done so far: requests, replies, malformed and ignored datagrams. */
    public DhcpCounters counters() {
        return (proxy != null ? proxy.counters() : engine.counters()).withRejected(gate.rejected());
    }

    /** The UDP port of the PXE boot server (proxyDHCP mode only); -1 otherwise or before start. */
    public int bootServerPort() {
        InterfaceSocket s = bootServerSocket;
        return s == null ? -1 : s.port();
    }

    private Thread startLoop(String name, InterfaceSocket s, Handler handler) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> receiveLoop(s, handler));
        t.start();
        return t;
    }

    /** The lease file of the dynamic pool (whether or not it exists yet). */
    public Path leaseFile() {
        return context.workFolder().resolve(LEASE_FILE);
    }

    private void receiveLoop(InterfaceSocket s, Handler handler) {
        ByteBuffer in = ByteBuffer.allocate(DhcpEngine.MAX_REQUEST);
        long failures = 0;
        while (!state.isClosed()) {
            try {
                in.clear();
                InetSocketAddress from = s.receive(in);
                if (from == null) {
                    continue;
                }
                if (!gate.admits(in.array(), in.position(), from.getAddress())) {
                    continue;
                }
                Instant now = context.clock().instant();
                DhcpEngine.Reply reply = handler.handle(in.array(), in.position(), from, now);
                if (reply != null) {
                    send(s, reply);
                }
                failures = 0;
            } catch (IOException | RuntimeException e) {
                if (state.isClosed()) {
                    break;
                }
                tally.countInternalError();
                failures++;
                LOG.warn("DHCP receive loop on {}: {}", s.interfaceName(), e.toString());
                if (failures > 3) {
                    sleepQuietly(Duration.ofMillis(Math.min(1000, 50 * failures)));
                }
            }
        }
    }

    private void send(InterfaceSocket s, DhcpEngine.Reply reply) {
        try {
            s.send(ByteBuffer.wrap(reply.data()), new InetSocketAddress(reply.to(), reply.port()));
        } catch (IOException | RuntimeException e) {
            tally.countSendError();
            if (!state.isClosed()) {
                LOG.warn("could not send a DHCP reply to {}:{} on {}: {}", Ipv4.format(reply.to()), reply.port(),
                        s.interfaceName(), e.toString());
                context.events().onEvent(new BootEvent.ServiceProblem(context.clock().instant(), name(),
                        "could not send a reply to " + Ipv4.format(reply.to()) + ": " + e.getMessage()));
            }
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops answering and closes the socket; idempotent. */
    @Override
    public void close() {
        if (!state.closeOnce(socket, bootServerSocket, routerAdvertiser)) {
            return;
        }
        Thread w = linkWatch;
        if (w != null) {
            w.interrupt();
        }
        for (Thread t : new Thread[] {loop, bootServerLoop}) {
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(Duration.ofSeconds(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        LOG.info("embedded DHCP on {} stopped: {}", cluster.network().interfaceName(), counters());
    }
}
