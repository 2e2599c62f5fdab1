package io.netboot4j.testkit;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.Node;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A head node's cluster network, made for a test: a fresh {@link NetworkNamespace} holding
 * a bridge that carries the server's address. The cluster's servers open their sockets
 * inside it through {@link NetworkNamespace#seam()} ({@link #clusterBuilder(String)} sets
 * that up), and {@link VirtualNode}s are plugged into the bridge. Nothing leaves the
 * namespace. {@link #close()} powers the nodes off and deletes the namespace.
 *
 * {@snippet :
 * try (VirtualNetwork net = VirtualNetwork.create("nb-demo", "10.97.0.0/24")) {
 *     Cluster cluster = net.clusterBuilder("demo")
 *             .nodes("demonode%d", 2, "52:54:00:97:00:11", "10.97.0.11")
 *             .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0"))
 *             .rootFilesystem(r -> r.path(root.path()))
 *             .build();
 *     try (RunningCluster running = cluster.start()) {
 *         cluster.nodes().forEach(n -> net.powerOn(n, null));
 *         running.awaitAll(NodeState.UP, Duration.ofMinutes(10));
 *     }
 * }
 * }
 */
public final class VirtualNetwork implements AutoCloseable {

    /** The bridge's name inside the namespace: the head's cluster interface. */
    public static final String BRIDGE = "br0";

    private final NetworkNamespace namespace;
    private final Ipv4Network subnet;
    private final Inet4Address server;
    private final List<VirtualNode> nodes = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private VirtualNetwork(NetworkNamespace namespace, Ipv4Network subnet, Inet4Address server) {
        this.namespace = namespace;
        this.subnet = subnet;
        this.server = server;
    }

    /**
     * Makes the namespace {@code prefix-<random>} and its bridge {@link #BRIDGE}, with the
     * subnet's first host address as the server's.
     *
     * @param prefix names the namespace, for example {@code nb-e2e}
     * @param subnet the cluster subnet, for example {@code 10.97.0.0/24}
     * @throws IllegalArgumentException if the subnet is malformed
     * @throws IllegalStateException if namespaces are not available (see {@link NetworkNamespace#available()})
     */
    public static VirtualNetwork create(String prefix, String subnet) {
        Ipv4Network net = Ipv4Network.parse(subnet);
        Inet4Address server = net.host(1);
        NetworkNamespace ns = NetworkNamespace.create(prefix);
        try {
            ns.addBridge(BRIDGE, Ipv4.format(server) + "/" + net.prefixLength());
            return new VirtualNetwork(ns, net, server);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The namespace. */
    public NetworkNamespace namespace() {
        return namespace;
    }

    /** The cluster subnet. */
    public Ipv4Network subnet() {
        return subnet;
    }

    /** The head's address on the bridge. */
    public Inet4Address server() {
        return server;
    }

    /**
     * A cluster builder whose network is this one (interface {@link #BRIDGE}, the subnet,
     * the server address) and whose servers open their sockets in the namespace.
     *
     * @param name the cluster's name
     */
    public ClusterBuilder clusterBuilder(String name) {
        return Cluster.builder(name)
                .network(n -> n.interfaceName(BRIDGE).subnet(subnet).server(server))
                .networkSeam(namespace.seam());
    }

    /**
     * Powers on a virtual machine with {@code node}'s MAC address, on a new tap on the bridge.
     *
     * @param node the node it plays
     * @param consoleLog a file for its raw console output, or {@code null}
     */
    public VirtualNode powerOn(Node node, Path consoleLog) {
        return powerOn(node.hostname(), node.mac(), consoleLog);
    }

    /**
     * Powers on a virtual machine with any MAC address (a stranger, for example).
     *
     * @param name a name for logs
     * @param mac its card's address
     * @param consoleLog a file for its raw console output, or {@code null}
     */
    public VirtualNode powerOn(String name, io.netboot4j.core.MacAddress mac, Path consoleLog) {
        return powerOn(name, mac, VirtualNode.Firmware.BIOS, consoleLog);
    }

    /**
     * Powers on a virtual machine with {@code node}'s MAC address and the given firmware
     * (UEFI nodes PXE-boot with OVMF's own network stack).
     *
     * @param node the node it plays
     * @param firmware BIOS with iPXE, UEFI, or UEFI with Secure Boot
     * @param consoleLog a file for its raw console output, or {@code null}
     */
    public VirtualNode powerOn(Node node, VirtualNode.Firmware firmware, Path consoleLog) {
        return powerOn(node.hostname(), node.mac(), firmware, consoleLog);
    }

    private VirtualNode powerOn(String name, io.netboot4j.core.MacAddress mac, VirtualNode.Firmware firmware, Path consoleLog) {
        if (closed.get()) {
            throw new IllegalStateException("virtual network " + namespace.name() + " is closed");
        }
        VirtualNode.Builder b = VirtualNode.builder(namespace, mac).name(name).bridge(BRIDGE).firmware(firmware);
        if (consoleLog != null) {
            b.consoleLog(consoleLog);
        }
        VirtualNode n = b.start();
        synchronized (nodes) {
            nodes.add(n);
        }
        return n;
    }

    /** Powers off every node started here, then deletes the namespace; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (nodes) {
            for (VirtualNode n : nodes) {
                n.close();
            }
        }
        namespace.close();
    }
}
