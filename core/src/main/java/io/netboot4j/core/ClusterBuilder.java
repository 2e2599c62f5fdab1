package io.netboot4j.core;

import io.netboot4j.core.internal.ConfigText;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.ProviderChoice;
import io.netboot4j.core.spi.Providers;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceProvider;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes a {@link Cluster} fluently and validates it.
 *
 * <p>Each setter checks its own argument at once and throws
 * {@link IllegalArgumentException} naming the malformed value; setting a single-valued
 * option twice throws {@link IllegalStateException}. {@link #build()} then checks the
 * cluster as a whole and throws one {@link ClusterConfigException} listing every problem.
 *
 * <h2>Changing a cluster: {@link Cluster#toBuilder()}</h2>
 * A builder made by {@code toBuilder()} holds every value of the cluster as
 * <em>inherited</em>: each may be set again once, which replaces it. Only a setting made
 * twice by the caller of one builder is a conflict ({@link IllegalStateException}).
 * {@link #network(Consumer)}, {@link #boot(Consumer)} and {@link #rootFilesystem(Consumer)}
 * then start from the inherited values, so {@code toBuilder().network(n -> n.server("10.0.0.2"))}
 * changes the server address alone (router, name servers and server name that were
 * defaults follow it). A node added with the name of an inherited node replaces it;
 * {@link #removeNode(String)} removes one; an extension of an inherited extension's class
 * replaces it.
 *
 * <h2>Group (multicast) MAC addresses</h2>
 * A MAC address whose first byte is odd (the guide's {@code 01:2D:61:C7:17:86}, for
 * example) is a group address: no network card has one, a PXE ROM never sends one as its
 * hardware address, and a DHCP reservation for it can never match. {@code build()}
 * therefore reports such a node as a problem. The guide's text has such addresses because
 * they are placeholders; {@link #allowGroupMacAddresses()} accepts them (with a logged
 * warning) so the guide's cluster can be written down verbatim, for rendering
 * configuration files only.
 */
public final class ClusterBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBuilder.class);

    private final String name;
    private NetworkBuilder network;
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> inheritedNodes = new HashSet<>();
    private final Set<String> setHere = new HashSet<>();
    private BootBuilder boot;
    private RootBuilder root;
    private ServicePorts ports;
    private final Map<Class<?>, ClusterExtension> extensions = new LinkedHashMap<>();
    private ProviderChoice<AddressAllocationProvider> addressAllocation = ProviderChoice.unchosen();
    private ProviderChoice<BootFileServiceProvider> bootFiles = ProviderChoice.unchosen();
    private ProviderChoice<RootExportProvider> rootExport = ProviderChoice.unchosen();
    private ProviderChoice<KernelBuildProvider> kernelBuild = ProviderChoice.unchosen();
    private ProviderChoice<RootBuildProvider> rootBuild = ProviderChoice.unchosen();
    private NetworkSeam seam;
    private Path workFolder;
    private boolean allowGroupMacs;
    private boolean prepared;
    private HeadBudget.Builder budget;
    private final NodeGroupsBuilder groups = new NodeGroupsBuilder();

    ClusterBuilder(String name) {
        if (name == null || !Hostname.isValid(name) || name.contains(".") || name.length() > 57) {
            throw new IllegalArgumentException("cluster name '" + name + "' must be one RFC 1123 label of at most 57 letters, digits or hyphens");
        }
        this.name = name;
    }

    static ClusterBuilder from(Cluster c) {
        ClusterBuilder b = new ClusterBuilder(c.name());
        b.network = NetworkBuilder.of(c.network(), c.name());
        b.nodes.addAll(c.nodes());
        c.nodes().forEach(n -> b.inheritedNodes.add(n.hostname()));
        b.boot = BootBuilder.of(c.boot());
        b.groups.copy(c.groups(), c.boot());
        b.root = RootBuilder.of(c.rootFilesystem());
        b.ports = c.ports();
        c.extensions().forEach(e -> b.extensions.put(e.getClass(), e));
        b.addressAllocation = c.providers().addressAllocation();
        b.bootFiles = c.providers().bootFiles();
        b.rootExport = c.providers().rootExport();
        b.kernelBuild = c.providers().kernelBuild();
        b.rootBuild = c.providers().rootBuild();
        b.seam = c.networkSeam();
        b.workFolder = c.workFolder().orElse(null);
        b.allowGroupMacs = c.nodes().stream().anyMatch(x -> x.mac().isMulticast());
        b.budget = HeadBudget.Builder.from(c.budget(), c.nodes().size());
        return b;
    }

    /**
     * Marks {@code option} as set by this builder's user.
     *
     * @throws IllegalStateException if it was set before in this builder (a value copied by
     *     {@link Cluster#toBuilder()} does not count: it may be set again once)
     */
    private void once(String option) {
        unset(option);
        setHere.add(option);
    }

    private void unset(String option) {
        if (setHere.contains(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /** Runs {@code spec} on {@code builder}; the option counts as set once the spec returned. */
    private <B> B spec(String option, B builder, Consumer<B> spec) {
        unset(option);
        spec.accept(builder);
        setHere.add(option);
        return builder;
    }

    /**
     * Describes the cluster network (required).
     *
     * @param spec sets the interface, subnet, server address and the optional parts
     * @throws IllegalStateException if called twice
     */
    public ClusterBuilder network(Consumer<NetworkBuilder> spec) {
        network = spec("network", network == null ? new NetworkBuilder() : network, spec);
        return this;
    }

    /**
     * Adds one node.
     *
     * @param hostname RFC 1123 host name
     * @param mac MAC address in colon, dash or bare form
     * @param address IPv4 dotted quad
     * @param kernelArguments extra kernel arguments for this node alone
     * @throws IllegalArgumentException naming the malformed value
     */
    public ClusterBuilder node(String hostname, String mac, String address, String... kernelArguments) {
        Hostname h = Hostname.parse(hostname);
        MacAddress m = MacAddress.parse(mac);
        Inet4Address a = Ipv4.parse(address);
        List<String> args = new ArrayList<>();
        for (String k : kernelArguments) {
            args.addAll(KernelArguments.split(k));
        }
        addNode(new Node(h, m, a, args));
        return this;
    }

    /** Adds one node given as a value. */
    public ClusterBuilder node(Node node) {
        if (node == null) {
            throw new IllegalArgumentException("node must not be null");
        }
        addNode(node);
        return this;
    }

    /**
     * Adds {@code count} nodes numbered from 1: names from {@code namePattern}
     * ({@link String#format} with the number, for example {@code kerrighednode%d}), MAC
     * addresses counting up from {@code firstMac}, addresses counting up from
     * {@code firstAddress}.
     *
     * @throws IllegalArgumentException naming the malformed value, or if the pattern does
     *     not make distinct valid host names
     */
    public ClusterBuilder nodes(String namePattern, int count, String firstMac, String firstAddress) {
        if (count < 1 || count > 65534) {
            throw new IllegalArgumentException("node count " + count + " must be between 1 and 65534");
        }
        if (namePattern == null || !namePattern.matches(".*%0?\\d*d.*")) {
            throw new IllegalArgumentException("name pattern '" + namePattern + "' must contain a %d for the node number");
        }
        MacAddress mac = MacAddress.parse(firstMac);
        Inet4Address address = Ipv4.parse(firstAddress);
        for (int i = 0; i < count; i++) {
            String hostname = String.format(java.util.Locale.ROOT, namePattern, i + 1);
            addNode(new Node(Hostname.parse(hostname), mac.plus(i), Ipv4.plus(address, i)));
        }
        return this;
    }

    /** Adds a node, or replaces the node of the same name copied by {@link Cluster#toBuilder()} (once). */
    private void addNode(Node node) {
        if (inheritedNodes.remove(node.hostname())) {
            nodes.replaceAll(n -> n.hostname().equals(node.hostname()) ? node : n);
        } else {
            nodes.add(node);
        }
    }

    /**
     * Has the node named {@code hostname} (added before) run {@code chain} when it boots
     * through UEFI, instead of the boot profile's chain.
     *
     * @throws IllegalArgumentException if this builder has no such node, or the chain is null
     */
    public ClusterBuilder uefiChain(String hostname, UefiChain chain) {
        if (chain == null) {
            throw new IllegalArgumentException("UEFI chain of node '" + hostname + "' must not be null");
        }
        if (nodes.stream().noneMatch(n -> n.hostname().equalsIgnoreCase(String.valueOf(hostname)))) {
            throw new IllegalArgumentException("no node '" + hostname + "' to give UEFI chain " + chain + "; add the node first");
        }
        nodes.replaceAll(n -> n.hostname().equalsIgnoreCase(hostname) ? n.withUefiChain(chain) : n);
        return this;
    }

    /**
     * Defines a node group (Warewulf's profile): nodes put in it with
     * {@link #nodeGroup(String, String)} boot its profile, which starts as the cluster's
     * boot profile (at {@link #build()}) changed by {@code spec}: another kernel, initrd,
     * more or other kernel arguments ({@link BootBuilder#clearAppend()}), another UEFI
     * chain. The group's kernel and initrd are served from a folder named after it. A
     * group copied by {@link Cluster#toBuilder()} may be defined again once: {@code spec}
     * then changes its copied profile. A copied group follows a change of the cluster's
     * profile in what it had left as the cluster's (kernel, initrd, chain; the cluster's
     * arguments come before the group's own).
     *
     * {@snippet :
     * Cluster.builder("mixed")
     *     // network, nodes, boot, root ...
     *     .group("gpu", b -> b.kernel(Path.of("/boot/vmlinuz-gpu")).append("nvidia.modeset=1"))
     *     .nodeGroup("node7", "gpu")
     *     .build();
     * }
     *
     * @param name an RFC 1123 label
     * @throws IllegalArgumentException if the name is malformed or differs from another group's only in case
     * @throws IllegalStateException if this builder defined the group already
     */
    public ClusterBuilder group(String name, Consumer<BootBuilder> spec) {
        groups.define(name, spec);
        return this;
    }

    /**
     * Gives the group {@code name} (defined before, here or copied by {@link Cluster#toBuilder()})
     * a root filesystem of its own: its nodes mount it instead of the cluster's
     * ({@code nfsroot=} in their kernel arguments, DHCP option 17), and the root export serves it
     * beside the cluster's. {@code spec} starts from the group's copied root if it had one, else
     * from the defaults of {@link #rootFilesystem(Consumer)} (read-write,
     * {@code no_root_squash,no_subtree_check}, mounted {@code vers=3,tcp}); it must set the path.
     * The folder must exist (the root build makes the cluster's root only). {@link #build()}
     * refuses a group root inside or around another export, the same folder with other export
     * options than another root naming it, and a root-export provider that exports one root only.
     *
     * {@snippet :
     * Cluster.builder("mixed")
     *     // network, nodes, boot, root ...
     *     .group("storage", b -> b.append("nb4j.kind=storage"))
     *     .groupRoot("storage", r -> r.path("/nfsroot/storage").readOnly())
     *     .nodeGroup("node7", "storage")
     *     .build();
     * }
     *
     * @throws IllegalArgumentException if there is no such group
     * @throws IllegalStateException if this builder set or cleared the group's root already
     */
    public ClusterBuilder groupRoot(String name, Consumer<RootBuilder> spec) {
        if (spec == null) {
            throw new IllegalArgumentException("groupRoot(\"" + name + "\", spec) needs a spec, for example r -> r.path(\"/nfsroot/"
                    + name + "\"); clearGroupRoot gives the group the cluster's root again");
        }
        groups.root(name, spec);
        return this;
    }

    /**
     * The group {@code name}'s nodes mount the cluster's root filesystem again (undoes a copied
     * {@link #groupRoot(String, Consumer)}).
     *
     * @throws IllegalArgumentException if there is no such group
     * @throws IllegalStateException if this builder set or cleared the group's root already
     */
    public ClusterBuilder clearGroupRoot(String name) {
        groups.root(name, null);
        return this;
    }

    /**
     * Removes the group {@code name}, for example one copied by {@link Cluster#toBuilder()};
     * nodes still in it make {@link #build()} fail.
     *
     * @throws IllegalArgumentException if there is no such group
     */
    public ClusterBuilder removeGroup(String name) {
        groups.remove(name);
        return this;
    }

    /**
     * Puts the node named {@code hostname} (added before) in the group {@code group}, or in no
     * group if {@code group} is {@code null} (it boots the cluster's profile). On a running
     * cluster ({@code RunningCluster.update}) this moves the node between groups.
     *
     * @throws IllegalArgumentException if this builder has no such node
     */
    public ClusterBuilder nodeGroup(String hostname, String group) {
        if (nodes.stream().noneMatch(n -> n.hostname().equalsIgnoreCase(String.valueOf(hostname)))) {
            throw new IllegalArgumentException("no node '" + hostname + "' to put in group " + group + "; add the node first");
        }
        nodes.replaceAll(n -> n.hostname().equalsIgnoreCase(hostname) ? n.withGroup(group) : n);
        return this;
    }

    /**
     * Removes the node named {@code hostname}, for example one copied by {@link Cluster#toBuilder()}.
     *
     * @throws IllegalArgumentException if this builder has no such node
     */
    public ClusterBuilder removeNode(String hostname) {
        if (!nodes.removeIf(n -> n.hostname().equalsIgnoreCase(String.valueOf(hostname)))) {
            throw new IllegalArgumentException("no node '" + hostname + "' to remove");
        }
        inheritedNodes.removeIf(h -> h.equalsIgnoreCase(hostname));
        return this;
    }

    /**
     * Describes what the nodes boot (required: at least a kernel).
     *
     * @throws IllegalStateException if called twice
     */
    public ClusterBuilder boot(Consumer<BootBuilder> spec) {
        boot = spec("boot", boot == null ? new BootBuilder() : boot, spec);
        return this;
    }

    /**
     * Describes the shared root filesystem (required: at least its path).
     *
     * @throws IllegalStateException if called twice
     */
    public ClusterBuilder rootFilesystem(Consumer<RootBuilder> spec) {
        root = spec("rootFilesystem", root == null ? new RootBuilder() : root, spec);
        prepared = false;
        return this;
    }

    /**
     * Ports of the embedded servers; default {@link ServicePorts#DEFAULTS}.
     *
     * @throws IllegalStateException if called twice
     */
    public ClusterBuilder ports(ServicePorts ports) {
        once("ports");
        if (ports == null) {
            throw new IllegalArgumentException("ports must not be null");
        }
        this.ports = ports;
        return this;
    }

    /**
     * Adds a typed extension, such as Kerrighed's settings.
     *
     * @throws IllegalStateException if an extension of the same class was added
     */
    public ClusterBuilder with(ClusterExtension extension) {
        if (extension == null) {
            throw new IllegalArgumentException("extension must not be null");
        }
        if (!setHere.add("extension " + extension.getClass().getName())) {
            throw new IllegalStateException("extension " + extension.name() + " was already added");
        }
        extensions.put(extension.getClass(), extension);
        return this;
    }

    /**
     * Removes the extension of class {@code type}, for example one copied by
     * {@link Cluster#toBuilder()} (turning {@link Discovery} off); nothing if there is none.
     *
     * @throws IllegalStateException if an extension of that class was added in this builder
     */
    public ClusterBuilder without(Class<? extends ClusterExtension> type) {
        if (setHere.contains("extension " + type.getName())) {
            throw new IllegalStateException("extension " + extensions.get(type).name() + " was added in this builder; do not add it");
        }
        extensions.remove(type);
        return this;
    }

    /** Chooses the address-allocation (DHCP) provider by name, for example {@code embedded}, {@code kea}, {@code isc-dhcpd}. */
    public ClusterBuilder addressAllocation(String providerName) {
        addressAllocation = choose(addressAllocation, providerName, "addressAllocation");
        return this;
    }

    /** Chooses the address-allocation (DHCP) provider as an instance. */
    public ClusterBuilder addressAllocation(AddressAllocationProvider provider) {
        addressAllocation = choose(addressAllocation, provider, "addressAllocation");
        return this;
    }

    /** Chooses the boot-file (TFTP) provider by name, for example {@code embedded}, {@code tftpd-hpa}. */
    public ClusterBuilder bootFiles(String providerName) {
        bootFiles = choose(bootFiles, providerName, "bootFiles");
        return this;
    }

    /** Chooses the boot-file (TFTP) provider as an instance. */
    public ClusterBuilder bootFiles(BootFileServiceProvider provider) {
        bootFiles = choose(bootFiles, provider, "bootFiles");
        return this;
    }

    /** Chooses the root-export (NFS) provider by name, for example {@code embedded}, {@code kernel-nfsd}, {@code nfs-ganesha}. */
    public ClusterBuilder rootExport(String providerName) {
        rootExport = choose(rootExport, providerName, "rootExport");
        return this;
    }

    /** Chooses the root-export (NFS) provider as an instance. */
    public ClusterBuilder rootExport(RootExportProvider provider) {
        rootExport = choose(rootExport, provider, "rootExport");
        return this;
    }

    /** Chooses the kernel-build provider by name, for example {@code prebuilt}, {@code kbuild}, {@code kerrighed-2.4}. */
    public ClusterBuilder kernelBuild(String providerName) {
        kernelBuild = choose(kernelBuild, providerName, "kernelBuild");
        prepared = false;
        return this;
    }

    /** Chooses the kernel-build provider as an instance. */
    public ClusterBuilder kernelBuild(KernelBuildProvider provider) {
        kernelBuild = choose(kernelBuild, provider, "kernelBuild");
        prepared = false;
        return this;
    }

    /** Chooses the root-build provider by name, for example {@code existing}, {@code debootstrap}. */
    public ClusterBuilder rootBuild(String providerName) {
        rootBuild = choose(rootBuild, providerName, "rootBuild");
        prepared = false;
        return this;
    }

    /** Chooses the root-build provider as an instance. */
    public ClusterBuilder rootBuild(RootBuildProvider provider) {
        rootBuild = choose(rootBuild, provider, "rootBuild");
        prepared = false;
        return this;
    }

    private <P> ProviderChoice<P> choose(ProviderChoice<P> current, String name, String option) {
        boolean given = name != null && !name.isBlank();
        return choose(current, option, given ? ProviderChoice.named(name.strip()) : null, "provider name must not be empty");
    }

    private <P> ProviderChoice<P> choose(ProviderChoice<P> current, P instance, String option) {
        return choose(current, option, instance != null ? ProviderChoice.of(instance) : null, "provider must not be null");
    }

    /** The one rule of every provider setter: chosen once per builder, and not missing. */
    private <P> ProviderChoice<P> choose(ProviderChoice<P> current, String option, ProviderChoice<P> chosen, String missing) {
        if (!setHere.add(option)) {
            throw new IllegalStateException(option + " provider was already chosen (" + current + ")");
        }
        if (chosen == null) {
            throw new IllegalArgumentException(option + " " + missing);
        }
        return chosen;
    }

    /**
     * Where servers open their sockets; default {@link NetworkSeam#host()}. The testkit
     * supplies one that opens them inside a network namespace.
     */
    public ClusterBuilder networkSeam(NetworkSeam seam) {
        once("networkSeam");
        if (seam == null) {
            throw new IllegalArgumentException("network seam must not be null");
        }
        this.seam = seam;
        return this;
    }

    /** Where services keep generated files and state (leases, boot tree); default a new temporary folder. */
    public ClusterBuilder workFolder(Path folder) {
        once("workFolder");
        if (folder == null) {
            throw new IllegalArgumentException("work folder must not be null");
        }
        this.workFolder = folder.toAbsolutePath();
        return this;
    }

    /** Marks the cluster as prepared: its builds ran (see {@link Cluster#prepare}). */
    ClusterBuilder prepared() {
        this.prepared = true;
        return this;
    }

    /**
     * Accepts group (multicast) MAC addresses, which no network card has, with a warning
     * instead of a {@code build()} problem. Only for writing down the guide's cluster
     * verbatim; see the class description.
     */
    public ClusterBuilder allowGroupMacAddresses() {
        this.allowGroupMacs = true;
        return this;
    }

    /**
     * What the head node spends on its clients at most; default {@link HeadBudget#defaults(int)}:
     * nodes first, unknown sources refused. See {@link HeadBudget}.
     *
     * @param spec sets the parts that differ from the defaults (after {@link Cluster#toBuilder()}, from the inherited ones)
     * @throws IllegalStateException if called twice
     */
    public ClusterBuilder budget(Consumer<HeadBudget.Builder> spec) {
        budget = spec("budget", budget == null ? new HeadBudget.Builder() : budget, spec);
        return this;
    }

    /**
     * Validates the whole description and builds the cluster.
     *
     * @throws ClusterConfigException listing every problem found
     */
    public Cluster build() {
        List<String> problems = new ArrayList<>();
        Network net = network == null ? null : network.build(name, problems);
        if (network == null) {
            problems.add("no network: call network(n -> n.interfaceName(..).subnet(..).server(..))");
        }
        checkNodes(net, problems);
        BootProfile profile = null;
        if (boot == null || boot.kernel == null) {
            problems.add("no kernel: call boot(b -> b.kernel(path))");
        } else {
            profile = boot.build();
        }
        RootFilesystem rootFs = null;
        if (root == null || root.path == null) {
            problems.add("no root filesystem: call rootFilesystem(r -> r.path(\"/nfsroot/...\"))");
        } else {
            rootFs = root.build(problems);
        }
        List<NodeGroup> nodeGroups = groups.build(profile, rootFs, nodes, problems);
        checkProvider(AddressAllocationProvider.class, addressAllocation, "addressAllocation", problems);
        checkProvider(BootFileServiceProvider.class, bootFiles, "bootFiles", problems);
        checkProvider(RootExportProvider.class, rootExport, "rootExport", problems);
        checkProvider(KernelBuildProvider.class, kernelBuild, "kernelBuild", problems);
        checkProvider(RootBuildProvider.class, rootBuild, "rootBuild", problems);
        HeadBudget headBudget = (budget == null ? new HeadBudget.Builder() : budget).build(nodes.size(), problems);

        if (!problems.isEmpty()) {
            throw new ClusterConfigException(name, problems);
        }
        Cluster cluster = new Cluster(name, net, nodes, profile, rootFs, ports == null ? ServicePorts.DEFAULTS : ports,
                new ArrayList<>(extensions.values()),
                new Cluster.ProviderChoices(addressAllocation, bootFiles, rootExport, kernelBuild, rootBuild),
                seam == null ? NetworkSeam.host() : seam, Optional.ofNullable(workFolder), headBudget, prepared, nodeGroups);
        checkSeveralRoots(cluster, problems);
        for (ClusterExtension e : cluster.extensions()) {
            e.validate(cluster, problems);
        }
        if (!problems.isEmpty()) {
            throw new ClusterConfigException(name, problems);
        }
        return cluster;
    }

    /** A cluster whose groups have roots of their own needs a root export that exports several. */
    private void checkSeveralRoots(Cluster cluster, List<String> problems) {
        if (cluster.rootFilesystems().size() < 2) {
            return;
        }
        RootExportProvider p;
        try {
            p = Providers.choose(RootExportProvider.class, rootExport, "embedded", Providers.available(RootExportProvider.class));
        } catch (IllegalStateException e) {
            return; // no provider or an unknown name: reported by checkProvider, or by start()
        }
        if (!p.exportsSeveralRoots()) {
            problems.add("the rootExport provider '" + p.name() + "' exports one root filesystem only, and groups "
                    + cluster.groups().stream().filter(g -> g.rootFilesystem().isPresent()).map(NodeGroup::name).toList()
                    + " have roots of their own: choose embedded, kernel-nfsd or nfs-ganesha, or give the groups the cluster's root");
        }
    }

    private static <P extends ServiceProvider<?>> void checkProvider(Class<P> type, ProviderChoice<P> choice, String option,
                                                                    List<String> problems) {
        if (choice.name().isEmpty()) {
            return;
        }
        Map<String, P> available = Providers.available(type);
        if (!available.containsKey(choice.name().get())) {
            problems.add(option + " provider '" + choice.name().get() + "' is not available; available: "
                    + (available.isEmpty() ? "none (is its netboot4j module on the class or module path?)"
                    : String.join(", ", available.keySet())));
        }
    }

    private void checkNodes(Network net, List<String> problems) {
        if (nodes.isEmpty()) {
            problems.add("no nodes: add at least one with node(name, mac, address) or nodes(pattern, count, mac, address)");
        }
        Map<MacAddress, String> macs = new HashMap<>();
        Map<Inet4Address, String> addresses = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Node n : nodes) {
            String who = "node " + n.hostname();
            String prev = names.putIfAbsent(n.hostname(), n.hostname());
            if (prev != null) {
                problems.add("duplicate host name " + n.hostname());
            }
            prev = macs.putIfAbsent(n.mac(), n.hostname());
            if (prev != null) {
                problems.add("duplicate MAC address " + n.mac() + ": " + prev + " and " + n.hostname());
            }
            prev = addresses.putIfAbsent(n.address(), n.hostname());
            if (prev != null) {
                problems.add("duplicate address " + Ipv4.format(n.address()) + ": " + prev + " and " + n.hostname());
            }
            if (n.mac().isMulticast()) {
                String msg = who + " has MAC address " + n.mac() + ", a group (multicast) address that no network card has";
                if (allowGroupMacs) {
                    LOG.warn("{}; accepted because allowGroupMacAddresses() was called", msg);
                } else {
                    problems.add(msg + ": give the card's real address, or call allowGroupMacAddresses() to render files only");
                }
            }
            if (net != null) {
                String a = Ipv4.format(n.address());
                Optional<RelayedSubnet> relayed = net.relayedSubnetOf(n.address());
                Ipv4Network sub = relayed.map(RelayedSubnet::subnet).orElse(net.subnet());
                if (!sub.contains(n.address())) {
                    problems.add(who + " address " + a + (net.relayedSubnets().isEmpty() ? " is outside the subnet " + net.subnet()
                            : " is outside every subnet of the cluster (" + net.subnet() + ", " + net.relayedSubnets().stream()
                            .map(r -> r.subnet().toString()).collect(java.util.stream.Collectors.joining(", ")) + ")"));
                } else if (n.address().equals(sub.network()) && sub.prefixLength() < 31) {
                    problems.add(who + " address " + a + " is the network address of " + sub);
                } else if (n.address().equals(sub.broadcast()) && sub.prefixLength() < 31) {
                    problems.add(who + " address " + a + " is the broadcast address of " + sub);
                }
                if (relayed.isPresent() && (n.address().equals(relayed.get().router()) || relayed.get().relays().contains(n.address()))) {
                    problems.add(who + " address " + a + " is the router's or relay's address of " + sub);
                }
                if (n.address().equals(net.server())) {
                    problems.add(who + " address " + a + " is the server's own address");
                } else if (n.address().equals(net.router())) {
                    problems.add(who + " address " + a + " is the router's address");
                }
                if (n.hostname().equals(net.serverName().value())) {
                    problems.add(who + " has the server's name");
                }
            }
        }
    }

    /** Describes the cluster network. */
    public static final class NetworkBuilder {
        private String interfaceName;
        private Ipv4Network subnet;
        private Inet4Address server;
        private Inet4Address router;
        private List<Inet4Address> dns;
        private String domain = "";
        private Hostname serverName;
        private final List<RelayedSubnet> relayed = new ArrayList<>();

        NetworkBuilder() {
        }

        /** A builder holding {@code n}; values equal to their defaults stay defaults (they follow the server). */
        static NetworkBuilder of(Network n, String clusterName) {
            NetworkBuilder b = new NetworkBuilder();
            b.interfaceName = n.interfaceName();
            b.subnet = n.subnet();
            b.server = n.server();
            b.router = n.router().equals(n.server()) ? null : n.router();
            b.dns = n.dnsServers().equals(List.of(n.server())) ? null : n.dnsServers();
            b.domain = n.domain();
            b.serverName = n.serverName().value().equals(clusterName + "server") ? null : n.serverName();
            b.relayed.addAll(n.relayedSubnets());
            return b;
        }

        /**
         * The head's interface on the cluster network, for example {@code eth0} (required).
         *
         * @throws IllegalArgumentException if it is not a Linux interface name (1-15 characters, no '/', ':' or white space)
         */
        public NetworkBuilder interfaceName(String name) {
            if (name == null || name.isEmpty() || name.length() > 15 || !name.matches("[^/:\\s]+")) {
                throw new IllegalArgumentException("interface name '" + name + "' must be 1-15 characters without '/', ':' or white space");
            }
            ConfigText.requireSafe(name, "interface name");
            this.interfaceName = name;
            return this;
        }

        /** The cluster subnet in CIDR or address-plus-netmask form (required). */
        public NetworkBuilder subnet(String cidr) {
            return subnet(Ipv4Network.parse(cidr));
        }

        /** The cluster subnet (required). */
        public NetworkBuilder subnet(Ipv4Network subnet) {
            if (subnet == null) {
                throw new IllegalArgumentException("subnet must not be null");
            }
            this.subnet = subnet;
            return this;
        }

        /** The head's address on the cluster interface (required). */
        public NetworkBuilder server(String address) {
            return server(Ipv4.parse(address));
        }

        /** The head's address on the cluster interface (required). */
        public NetworkBuilder server(Inet4Address address) {
            this.server = require(address, "server address");
            return this;
        }

        /** The nodes' default gateway; default the server. */
        public NetworkBuilder router(String address) {
            return router(Ipv4.parse(address));
        }

        /** The nodes' default gateway; default the server. */
        public NetworkBuilder router(Inet4Address address) {
            this.router = require(address, "router address");
            return this;
        }

        /** Name servers given to nodes; default the server. */
        public NetworkBuilder dnsServers(String... addresses) {
            List<Inet4Address> list = new ArrayList<>();
            for (String a : addresses) {
                list.add(Ipv4.parse(a));
            }
            this.dns = list;
            return this;
        }

        /** Name servers given to nodes; default the server. */
        public NetworkBuilder dnsServers(List<Inet4Address> addresses) {
            this.dns = List.copyOf(addresses);
            return this;
        }

        /** The DNS domain given to nodes (option 15), for example {@code kerrighed}; default none. */
        public NetworkBuilder domain(String domain) {
            if (domain == null) {
                throw new IllegalArgumentException("domain must not be null (use \"\" for none)");
            }
            if (!domain.isEmpty() && !Hostname.isValid(domain)) {
                throw new IllegalArgumentException("domain '" + domain + "' is not a valid RFC 1123 name");
            }
            this.domain = domain.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /** The head's name, DHCP {@code server-name}; default {@code <cluster>server}. */
        public NetworkBuilder serverName(String name) {
            this.serverName = Hostname.parse(name);
            return this;
        }

        /**
         * Adds a subnet reached through a router whose DHCP relay agent forwards requests to the
         * head; its relay address ({@code giaddr}) is the router's. Nodes on it get addresses
         * inside it. {@code build()} reports a subnet that overlaps another or a router outside it.
         *
         * @param cidr the subnet, for example {@code 10.2.0.0/24}
         * @param router the nodes' default gateway there, also the relay's address
         * @param moreRelays further relay addresses on that subnet, if several relays serve it
         * @throws IllegalArgumentException if an address or the subnet is malformed
         */
        public NetworkBuilder relayedSubnet(String cidr, String router, String... moreRelays) {
            Ipv4Network sub = Ipv4Network.parse(cidr);
            Inet4Address r = Ipv4.parse(router);
            List<Inet4Address> relays = new ArrayList<>();
            relays.add(r);
            for (String m : moreRelays) {
                relays.add(Ipv4.parse(m));
            }
            relayed.add(new RelayedSubnet(sub, r, relays));
            return this;
        }

        /** Removes every relayed subnet, for example those copied by {@link Cluster#toBuilder()}. */
        public NetworkBuilder clearRelayedSubnets() {
            relayed.clear();
            return this;
        }

        private void validateRelayed(List<String> problems) {
            List<Ipv4Network> all = new ArrayList<>();
            if (subnet != null) {
                all.add(subnet);
            }
            for (RelayedSubnet r : relayed) {
                for (Ipv4Network other : all) {
                    if (other.contains(r.subnet().network()) || r.subnet().contains(other.network())) {
                        problems.add("subnet " + r.subnet() + " overlaps subnet " + other);
                    }
                }
                all.add(r.subnet());
                for (Inet4Address a : r.relays()) {
                    if (!r.subnet().contains(a)) {
                        problems.add("relay address " + Ipv4.format(a) + " is not on its subnet " + r.subnet());
                    } else if (r.subnet().prefixLength() < 31 && (a.equals(r.subnet().network()) || a.equals(r.broadcast()))) {
                        problems.add("relay address " + Ipv4.format(a) + " is the network or broadcast address of " + r.subnet());
                    }
                }
            }
        }

        private static Inet4Address require(Inet4Address a, String what) {
            if (a == null) {
                throw new IllegalArgumentException(what + " must not be null");
            }
            return a;
        }

        Network build(String clusterName, List<String> problems) {
            if (interfaceName == null) {
                problems.add("network has no interface name: call interfaceName(\"eth0\")");
            }
            if (subnet == null) {
                problems.add("network has no subnet: call subnet(\"192.168.1.0/24\")");
            }
            if (server == null) {
                problems.add("network has no server address: call server(\"192.168.1.1\")");
            }
            if (subnet != null && server != null) {
                if (!subnet.contains(server)) {
                    problems.add("server address " + Ipv4.format(server) + " is outside the subnet " + subnet);
                } else if (subnet.prefixLength() < 31 && (server.equals(subnet.network()) || server.equals(subnet.broadcast()))) {
                    problems.add("server address " + Ipv4.format(server) + " is the network or broadcast address of " + subnet);
                }
            }
            if (subnet != null && router != null && !subnet.contains(router)) {
                problems.add("router address " + Ipv4.format(router) + " is outside the subnet " + subnet);
            }
            validateRelayed(problems);
            if (interfaceName == null || subnet == null || server == null) {
                return null;
            }
            return new Network(interfaceName, subnet, server, router == null ? server : router,
                    dns == null ? List.of(server) : dns, domain,
                    serverName == null ? new Hostname(clusterName + "server") : serverName, relayed);
        }
    }

    /** Describes what the nodes boot. */
    public static final class BootBuilder {
        private Path kernel;
        private Path initrd;
        private final List<String> append = new ArrayList<>();
        private String bios = "pxelinux.0";
        private String uefi;
        private String ipxe = "boot.ipxe";
        private UefiChain uefiChain = UefiChain.IPXE;

        BootBuilder() {
        }

        static BootBuilder of(BootProfile p) {
            BootBuilder b = new BootBuilder();
            b.kernel = p.kernel();
            b.initrd = p.initrd().orElse(null);
            b.append.addAll(p.append());
            b.bios = p.biosBootFile();
            b.uefiChain = p.uefiChain();
            b.uefi = p.uefiBootFile().equals(p.uefiChain().x86BootFile()) ? null : p.uefiBootFile();
            b.ipxe = p.ipxeBootFile();
            return b;
        }

        /** The kernel image (required). */
        public BootBuilder kernel(Path kernel) {
            this.kernel = requireFile(kernel, "kernel");
            return this;
        }

        /** The initial RAM disk; default none. */
        public BootBuilder initrd(Path initrd) {
            this.initrd = requireFile(initrd, "initrd");
            return this;
        }

        /** No initial RAM disk (the default; undoes an initrd copied by {@link Cluster#toBuilder()}). */
        public BootBuilder noInitrd() {
            this.initrd = null;
            return this;
        }

        /** Removes the kernel arguments added so far (or copied by {@link Cluster#toBuilder()}). */
        public BootBuilder clearAppend() {
            append.clear();
            return this;
        }

        /**
         * Adds kernel arguments before the NFS-root ones, white-space separated (the guide's
         * {@code console=tty1}); each call adds to the earlier ones.
         */
        public BootBuilder append(String arguments) {
            append.addAll(KernelArguments.split(arguments));
            return this;
        }

        /** Boot file for BIOS PXE clients; default {@code pxelinux.0}. */
        public BootBuilder biosBootFile(String file) {
            this.bios = bootFile(file);
            return this;
        }

        /**
         * The loaders UEFI nodes run after their firmware's PXE; default {@link UefiChain#IPXE}.
         * A node may choose another with {@link ClusterBuilder#uefiChain(String, UefiChain)}.
         */
        public BootBuilder uefiChain(UefiChain chain) {
            if (chain == null) {
                throw new IllegalArgumentException("UEFI chain must not be null");
            }
            this.uefiChain = chain;
            return this;
        }

        /**
         * The loaders UEFI nodes run, by name: {@code ipxe}, {@code syslinux}, {@code grub}, {@code shim+grub}.
         *
         * @throws IllegalArgumentException naming the value and the known names
         */
        public BootBuilder uefiChain(String chain) {
            return uefiChain(UefiChain.parse(chain));
        }

        /** Boot file for x86-64 UEFI clients of the cluster's chain; default the chain's ({@code snponly.efi} for iPXE). */
        public BootBuilder uefiBootFile(String file) {
            this.uefi = bootFile(file);
            return this;
        }

        /** Boot file or script URL for iPXE clients; default {@code boot.ipxe}. */
        public BootBuilder ipxeBootFile(String file) {
            this.ipxe = bootFile(file);
            return this;
        }

        private static String bootFile(String file) {
            if (file == null || file.isEmpty() || file.length() > 127 || !file.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException("boot file name '" + file + "' must be 1-127 printable ASCII characters without spaces");
            }
            ConfigText.requireSafe(file, "boot file name");
            return file;
        }

        private static Path requireFile(Path p, String what) {
            if (p == null || p.getFileName() == null) {
                throw new IllegalArgumentException(what + " path '" + p + "' must name a file");
            }
            // served under its file name, which pxelinux, GRUB and iPXE files name
            String name = ConfigText.requireSafe(p.getFileName().toString(), what + " file name");
            if (name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(what + " file name '" + name + "' must not contain white space");
            }
            return p;
        }

        BootProfile build() {
            return new BootProfile(kernel, Optional.ofNullable(initrd), append, bios,
                    uefi != null ? uefi : uefiChain.x86BootFile(), ipxe, uefiChain);
        }
    }

    /** Describes the shared root filesystem. */
    public static final class RootBuilder {
        private Path path;
        private boolean readWrite = true;
        private List<String> exportOptions = List.of("no_root_squash", "no_subtree_check");
        private List<String> mountOptions = List.of("vers=3", "tcp");

        RootBuilder() {
        }

        static RootBuilder of(RootFilesystem r) {
            RootBuilder b = new RootBuilder();
            b.path = r.path();
            b.readWrite = r.readWrite();
            b.exportOptions = r.exportOptions();
            b.mountOptions = r.mountOptions();
            return b;
        }

        Path path() {
            return path;
        }

        /** The root folder on the head, absolute (required). */
        public RootBuilder path(String path) {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("root path must not be empty");
            }
            return path(Path.of(path));
        }

        /** The root folder on the head, absolute (required). */
        public RootBuilder path(Path path) {
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("root path '" + path + "' must be absolute");
            }
            if (path.toString().matches(".*[\\s,:].*")) {
                throw new IllegalArgumentException("root path '" + path + "' must not contain white space, ',' or ':' (they break nfsroot=)");
            }
            ConfigText.requireSafe(path.toString(), "root path");
            this.path = path.normalize();
            return this;
        }

        /** Nodes mount it read-write (the default, as the guide does). */
        public RootBuilder readWrite() {
            return readWrite(true);
        }

        /** Nodes mount it read-only. */
        public RootBuilder readOnly() {
            return readWrite(false);
        }

        /** Read-write or read-only. */
        public RootBuilder readWrite(boolean rw) {
            this.readWrite = rw;
            return this;
        }

        /**
         * Export options besides {@code rw}/{@code ro}, in {@code /etc/exports} syntax;
         * default {@code no_root_squash, no_subtree_check}.
         */
        public RootBuilder exportOptions(String... options) {
            return exportOptions(List.of(options));
        }

        /** Export options besides {@code rw}/{@code ro}. */
        public RootBuilder exportOptions(List<String> options) {
            for (String o : options) {
                if (o == null || o.isBlank() || o.equals("rw") || o.equals("ro")) {
                    throw new IllegalArgumentException("export option '" + o + "' is not allowed here: use readWrite()/readOnly() for rw/ro");
                }
            }
            this.exportOptions = List.copyOf(options);
            return this;
        }

        /** Options the nodes' kernels mount with (after {@code nfsroot=<server>:<path>,}); default {@code vers=3, tcp}. */
        public RootBuilder mountOptions(String... options) {
            return mountOptions(List.of(options));
        }

        /** Options the nodes' kernels mount with. */
        public RootBuilder mountOptions(List<String> options) {
            for (String o : options) {
                if (o == null || o.isBlank() || o.matches(".*[\\s,].*")) {
                    throw new IllegalArgumentException("mount option '" + o + "' must be one word without ','");
                }
            }
            this.mountOptions = List.copyOf(options);
            return this;
        }

        RootFilesystem build(List<String> problems) {
            for (String o : exportOptions) {
                String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                if (!RootFilesystem.KNOWN_EXPORT_OPTIONS.contains(key)) {
                    problems.add("unknown export option '" + o + "'; known: " + String.join(", ", RootFilesystem.KNOWN_EXPORT_OPTIONS));
                } else if ((key.equals("anonuid") || key.equals("anongid")) && !o.matches("anon[ug]id=\\d{1,10}")) {
                    problems.add("export option '" + o + "' needs a numeric id, for example " + key + "=65534");
                }
            }
            if (exportOptions.contains("root_squash") && exportOptions.contains("no_root_squash")) {
                problems.add("export options root_squash and no_root_squash conflict");
            }
            return new RootFilesystem(path, readWrite, exportOptions, mountOptions);
        }
    }

    String name() {
        return name;
    }
}
