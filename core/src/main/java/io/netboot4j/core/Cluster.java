package io.netboot4j.core;

import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.ProviderChoice;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.RootExportProvider;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A validated description of a diskless-boot cluster: the head's network, the nodes, what
 * they boot, the root they share, and which providers serve them. Immutable; made by
 * {@link #builder(String)}.
 *
 * {@snippet :
 * Cluster cluster = Cluster.builder("kerrighed")
 *     .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
 *             .domain("kerrighed").serverName("kerrighedserver"))
 *     .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101")
 *     .boot(b -> b.kernel(Path.of("/boot/vmlinuz")).initrd(Path.of("/boot/initrd.img")).append("console=tty1"))
 *     .rootFilesystem(r -> r.path("/nfsroot/kerrighed").readWrite())
 *     .build();
 * try (RunningCluster running = cluster.start()) {
 *     running.awaitAll(NodeState.UP, Duration.ofMinutes(5));
 * }
 * }
 *
 * @param name the cluster's name, used in messages and generated files
 * @param network the head's cluster network
 * @param nodes the nodes, in the order they were added
 * @param boot what the nodes boot
 * @param rootFilesystem the root they share over NFS (a node group may have its own: {@link #rootFilesystem(Node)})
 * @param ports ports of the embedded servers
 * @param extensions typed additions such as Kerrighed's, one per class
 * @param providers which provider serves each concern
 * @param networkSeam where servers open their sockets (a runtime object: not part of
 *     {@link #equals(Object)}, {@link #hashCode()} or {@link #toString()})
 * @param workFolder where services write generated files and state; a temporary folder if
 *     empty (where it runs, not what it is: not part of {@code equals}, {@code hashCode} or {@code toString})
 * @param budget what the head node spends on its clients at most
 * @param prepared whether {@link #prepare(BuildListener)} made this description: its root and
 *     kernel builds ran and its boot profile names their results
 * @param groups the node groups, each with its own boot profile ({@link #boot(Node)}), in the order defined
 */
public record Cluster(String name, Network network, List<Node> nodes, BootProfile boot, RootFilesystem rootFilesystem,
                      ServicePorts ports, List<ClusterExtension> extensions, ProviderChoices providers,
                      NetworkSeam networkSeam, Optional<Path> workFolder,
                      HeadBudget budget, boolean prepared, List<NodeGroup> groups) {

    /** Copies the lists. Use {@link #builder(String)}: this constructor does not validate. */
    public Cluster {
        nodes = List.copyOf(nodes);
        extensions = List.copyOf(extensions);
        groups = List.copyOf(groups);
    }

    /** A cluster without node groups. Use {@link #builder(String)}: this constructor does not validate. */
    public Cluster(String name, Network network, List<Node> nodes, BootProfile boot, RootFilesystem rootFilesystem,
                   ServicePorts ports, List<ClusterExtension> extensions, ProviderChoices providers,
                   NetworkSeam networkSeam, Optional<Path> workFolder, HeadBudget budget, boolean prepared) {
        this(name, network, nodes, boot, rootFilesystem, ports, extensions, providers, networkSeam, workFolder, budget, prepared, List.of());
    }

    /**
     * Starts describing a cluster.
     *
     * @param name the cluster's name: an RFC 1123 label such as {@code kerrighed}
     * @throws IllegalArgumentException if the name is not a valid host name label
     */
    public static ClusterBuilder builder(String name) {
        return new ClusterBuilder(name);
    }

    /**
     * A builder holding everything this cluster holds, to change and build again. Every
     * value it copies may be set again once (see {@link ClusterBuilder}).
     */
    public ClusterBuilder toBuilder() {
        return ClusterBuilder.from(this);
    }

    /**
     * Whether {@code o} describes the same cluster: every component but the runtime ones
     * ({@link #networkSeam()}, {@link #workFolder()}). Provider instances compare as their
     * providers do (by identity unless they say otherwise).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Cluster c && name.equals(c.name) && network.equals(c.network) && nodes.equals(c.nodes)
                && boot.equals(c.boot) && rootFilesystem.equals(c.rootFilesystem) && ports.equals(c.ports)
                && extensions.equals(c.extensions) && providers.equals(c.providers) && budget.equals(c.budget) && prepared == c.prepared
                && groups.equals(c.groups);
    }

    /** A hash of what {@link #equals(Object)} compares. */
    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, network, nodes, boot, rootFilesystem, ports, extensions, providers, budget, prepared, groups);
    }

    /** The description, without the runtime components. */
    @Override
    public String toString() {
        return "Cluster[name=" + name + ", network=" + network + ", nodes=" + nodes + ", boot=" + boot
                + ", rootFilesystem=" + rootFilesystem + ", ports=" + ports + ", extensions=" + extensions
                + ", providers=" + providers + ", budget=" + budget + ", prepared=" + prepared
                + (groups.isEmpty() ? "" : ", groups=" + groups) + "]";
    }

    /** The node with this MAC address, if any. */
    public Optional<Node> nodeByMac(MacAddress mac) {
        return nodes.stream().filter(n -> n.mac().equals(mac)).findFirst();
    }

    /** The node with this address, if any. */
    public Optional<Node> nodeByAddress(Inet4Address address) {
        return nodes.stream().filter(n -> n.address().equals(address)).findFirst();
    }

    /** The node with this name (case-insensitive), if any. */
    public Optional<Node> nodeByName(String hostname) {
        return nodes.stream().filter(n -> n.hostname().equalsIgnoreCase(hostname)).findFirst();
    }

    /** The extension of this class, if the cluster has one. */
    public <E extends ClusterExtension> Optional<E> extension(Class<E> type) {
        return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The node group of this name, if the cluster has one. */
    public Optional<NodeGroup> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** What {@code node} boots: its group's boot profile, else the cluster's {@link #boot()}. */
    public BootProfile boot(Node node) {
        return node.group().flatMap(this::group).map(NodeGroup::boot).orElse(boot);
    }

    /**
     * Where {@code node}'s kernel and initrd are in the boot tree, relative to its root: its
     * group's {@link NodeGroup#folder()}, or {@code ""} for the cluster's profile.
     */
    public String bootFolder(Node node) {
        return node.group().flatMap(this::group).map(NodeGroup::folder).orElse("");
    }

    /**
     * The name of {@code node}'s kernel in the boot tree: {@link #bootFolder(Node)} and the
     * file name, for example {@code gpu/vmlinuz}; the cluster's ({@code vmlinuz}) for {@code null}.
     */
    public String kernelPath(Node node) {
        return node == null ? boot.kernelFileName() : bootFolder(node) + boot(node).kernelFileName();
    }

    /** The name of {@code node}'s initrd in the boot tree, if it has one (see {@link #kernelPath(Node)}). */
    public Optional<String> initrdPath(Node node) {
        return node == null ? boot.initrdFileName() : boot(node).initrdFileName().map(i -> bootFolder(node) + i);
    }

    /** The root filesystem {@code node} mounts: its group's own ({@link NodeGroup#rootFilesystem()}), else the cluster's. */
    public RootFilesystem rootFilesystem(Node node) {
        return node.group().flatMap(this::group).flatMap(NodeGroup::rootFilesystem).orElse(rootFilesystem);
    }

    /**
     * Every root filesystem the head exports, one per folder: the cluster's first, then each
     * group's own in the order the groups were defined (a folder two groups name is listed once).
     */
    public List<RootFilesystem> rootFilesystems() {
        java.util.Map<Path, RootFilesystem> roots = new java.util.LinkedHashMap<>();
        roots.put(rootFilesystem.path(), rootFilesystem);
        groups.forEach(g -> g.rootFilesystem().ifPresent(r -> roots.putIfAbsent(r.path(), r)));
        return List.copyOf(roots.values());
    }

    /** The UEFI chain {@code node} runs: its own, else its boot profile's ({@link #boot(Node)}). */
    public UefiChain uefiChain(Node node) {
        return node.uefiChain().orElse(boot(node).uefiChain());
    }

    /** Every UEFI chain some node of the cluster runs, in {@link UefiChain} order. */
    public java.util.Set<UefiChain> uefiChains() {
        java.util.EnumSet<UefiChain> chains = java.util.EnumSet.noneOf(UefiChain.class);
        nodes.forEach(n -> chains.add(uefiChain(n)));
        return chains.isEmpty() ? java.util.EnumSet.of(boot.uefiChain()) : chains;
    }

    /** The whole kernel command line of {@code node}; see {@link BootProfile#kernelArguments(Cluster, Node)}. */
    public List<String> kernelArguments(Node node) {
        return BootProfile.kernelArguments(this, node);
    }

    /**
     * Runs the root build, then the kernel build (the guide's steps 1.4 and 2), and returns
     * the cluster that boots what they made: its boot profile names the built kernel and
     * initrd (none if the build made none), its root is the tree the root build filled, and
     * its work folder is the one the builds used (a new temporary one if this cluster has
     * none). The builds are the chosen providers ({@link ClusterBuilder#rootBuild(String)},
     * {@link ClusterBuilder#kernelBuild(String)}), by default {@code existing} (checks the root
     * folder) and {@code prebuilt} (checks and copies the profile's kernel and initrd).
     *
     * <p>Idempotent and resumable: a prepared cluster returns itself; the builds keep what
     * they finished in the work folder (give the cluster one to resume across runs) and skip
     * it when run again.
     *
     * {@snippet :
     * Cluster ready = cluster.prepare((step, done, total, detail) -> System.out.println(step + " " + done + "/" + total));
     * try (RunningCluster running = ready.start()) { ... }
     * }
     *
     * @param listener receives each build's phase ({@link BuildListener#phase}) and progress
     * @return the prepared cluster
     * @throws ClusterPrepareException naming the build that failed
     */
    public Cluster prepare(BuildListener listener) {
        return ClusterPreparation.prepare(this, listener);
    }

    /** {@link #prepare(BuildListener)} without progress reports. */
    public Cluster prepare() {
        return prepare(BuildListener.none());
    }

    /**
     * Starts the root export, then boot-file serving, then address allocation, each from
     * its chosen provider. A cluster that chose a root or kernel build must be prepared
     * first ({@link #prepare(BuildListener)}).
     *
     * @return the running cluster; close it to stop everything
     * @throws ClusterStartException naming the service that failed (those already started are
     *     closed), or saying that the cluster must be prepared first
     */
    public RunningCluster start() {
        return RunningCluster.start(this, List.of());
    }

    /**
     * Like {@link #start()}, with listeners that see every event from the first one.
     *
     * @param listeners receive every {@link BootEvent}
     */
    public RunningCluster start(BootEventListener... listeners) {
        return RunningCluster.start(this, List.of(listeners));
    }

    /**
     * Which provider serves each concern.
     *
     * @param addressAllocation DHCP
     * @param bootFiles TFTP
     * @param rootExport NFS
     * @param kernelBuild the kernel build
     * @param rootBuild the root filesystem build
     */
    public record ProviderChoices(ProviderChoice<AddressAllocationProvider> addressAllocation,
                                  ProviderChoice<BootFileServiceProvider> bootFiles,
                                  ProviderChoice<RootExportProvider> rootExport,
                                  ProviderChoice<KernelBuildProvider> kernelBuild,
                                  ProviderChoice<RootBuildProvider> rootBuild) {

        /** Nothing chosen: defaults everywhere. */
        public static ProviderChoices defaults() {
            return new ProviderChoices(ProviderChoice.unchosen(), ProviderChoice.unchosen(), ProviderChoice.unchosen(),
                    ProviderChoice.unchosen(), ProviderChoice.unchosen());
        }
    }
}
