package io.netboot4j.examples;

import io.netboot4j.boot.PxeConfig;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.ClusterConfigException;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.core.NodeState;
import io.netboot4j.core.RunningCluster;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.kerrighed.KerrighedAdmin;
import io.netboot4j.kerrighed.KrgNode;
import io.netboot4j.kerrighed.SshCommandRunner;
import java.time.Duration;
import io.netboot4j.dhcp.DhcpdConfig;
import io.netboot4j.kerrighed.Kerrighed;
import io.netboot4j.kerrighed.KerrighedFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kerrighed guide ({@code reference/kerrighed-diskless-guide.txt}) end to end, in one
 * file.
 *
 * <p><b>Run the guide</b> ({@code --run <interface> <work folder>}, as root on a Debian head
 * whose {@code <interface>} carries {@code 192.168.1.1/24}): {@link #runGuide} describes the
 * cluster with the guide's root build (step 1.4, {@code debootstrap} into
 * {@code /nfsroot/kerrighed}) and kernel build (step 2, {@code kerrighed-2.4} inside that
 * root), {@link Cluster#prepare(BuildListener) prepares} it (both builds, with progress;
 * preparing again resumes), starts DHCP, TFTP and NFS (steps 1.1-1.3) with the built
 * kernel, waits until the six nodes are up (step 4) and asks {@code krgadm} on the first
 * node for the cluster's nodes (step 5).
 *
 * {@snippet :
 * Cluster ready = guideWithBuilds("eth0", "02:2D:61:C7:17:86", work).build().prepare(listener);
 * try (RunningCluster running = ready.start()) {
 *     running.awaitAll(NodeState.UP, Duration.ofHours(1));
 * }
 * }
 *
 * <p><b>Print the guide's files</b> (no arguments): the guide's six-node cluster: nodes {@code kerrighednode1..6} at
 * {@code 192.168.1.101..106} with the guide's MAC addresses, the server
 * {@code kerrighedserver} at {@code 192.168.1.1} in domain {@code kerrighed}, the root
 * {@code /nfsroot/kerrighed}, Kerrighed session 1 with {@code nbmin=6}. Prints every file
 * the guide edits by hand, as netboot4j generates it: {@code dhcpd.conf} and the DHCP
 * server's defaults, {@code pxelinux.cfg/*}, the iPXE script, {@code /etc/exports},
 * {@code /etc/kerrighed_nodes}, {@code /etc/default/kerrighed} and the {@code fstab}.
 *
 * <p>The guide's MAC addresses ({@code 01:2D:61:C7:17:86}...) have the group bit set: no
 * network card has such an address, so {@link ClusterBuilder#build()} rejects them unless
 * {@link ClusterBuilder#allowGroupMacAddresses()} is called. This example shows the
 * rejection, then builds with that call, because it only renders files.
 */
public final class KerrighedClusterExample {

    /** The guide's MAC addresses, in order (note the jump from {@code :89} to {@code :90}). */
    public static final List<String> GUIDE_MACS = List.of(
            "01:2D:61:C7:17:86", "01:2D:61:C7:17:87", "01:2D:61:C7:17:88",
            "01:2D:61:C7:17:89", "01:2D:61:C7:17:90", "01:2D:61:C7:17:91");

    private KerrighedClusterExample() {
    }

    /**
     * The guide's cluster, not yet built.
     *
     * @param kernel the Kerrighed kernel image (the guide's {@code /boot/vmlinuz-2.6.20-krg})
     */
    public static ClusterBuilder guideCluster(Path kernel) {
        ClusterBuilder b = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
                        .domain("kerrighed").serverName("kerrighedserver"));
        for (int i = 0; i < GUIDE_MACS.size(); i++) {
            b.node("kerrighednode" + (i + 1), GUIDE_MACS.get(i), "192.168.1." + (101 + i));
        }
        return b.boot(x -> x.kernel(kernel).append("console=tty1"))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed").readWrite())
                .with(Kerrighed.session(1).minimumNodes(6));
    }

    /**
     * The guide's cluster for real machines, with the guide's root and kernel builds chosen:
     * nodes {@code kerrighednode1..6} with unicast MACs counting from {@code firstMac}.
     *
     * @param interfaceName the head's interface on the cluster network (the guide's {@code eth0})
     * @param firstMac the first node's MAC address; the others count up from it
     * @param work where the builds keep their caches and stamps (what makes preparing resumable)
     */
    public static ClusterBuilder guideWithBuilds(String interfaceName, String firstMac, Path work) {
        return Cluster.builder("kerrighed")
                .network(n -> n.interfaceName(interfaceName).subnet("192.168.1.0/24").server("192.168.1.1")
                        .domain("kerrighed").serverName("kerrighedserver"))
                .nodes("kerrighednode%d", 6, firstMac, "192.168.1.101")
                // the kernel the nodes boot is the one the kernel build makes; prepare() puts it here
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz-2.6.20-krg")).append("console=tty1"))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed").readWrite())
                .rootBuild("debootstrap")                                     // step 1.4
                .kernelBuild("kerrighed-2.4")                                 // step 2
                .with(Kerrighed.session(1).minimumNodes(6))                   // step 3
                .workFolder(work);
    }

    /**
     * The guide, steps 1 to 5: prepares the cluster (root and kernel builds), starts its
     * services, waits for the nodes and asks {@code krgadm} which nodes the cluster has.
     *
     * @param cluster described by {@link #guideWithBuilds}, or any cluster of the same shape
     * @param out where progress and the status table go
     * @param timeout how long to wait for the nodes to come up
     * @return the nodes {@code krgadm nodes} lists
     */
    public static List<KrgNode> runGuide(Cluster cluster, PrintStream out, Duration timeout) throws Exception {
        Cluster ready = cluster.prepare(new BuildListener() {                 // steps 1.4 and 2
            @Override public void phase(int number, int count, String name) {
                out.printf("== %d of %d: %s%n", number, count, name);
            }
            @Override public void progress(String step, int done, int total, String detail) {
                out.printf("   %s %s %s%n", step, total > 0 ? done + "/" + total : "", detail);
            }
        });
        out.println("boots " + ready.boot().kernel() + " from " + ready.rootFilesystem().path());
        try (RunningCluster running = ready.start()) {                       // steps 1.1-1.3: DHCP, TFTP, NFS
            running.addListener(e -> out.println(e.time() + " " + e.describe()));
            running.awaitAll(NodeState.UP, timeout);                          // step 4: power the nodes on
            out.print(running.statusTable());
            Node first = ready.nodes().getFirst();
            try (SshCommandRunner ssh = SshCommandRunner.to(Ipv4.format(first.address())).open()) {
                return new KerrighedAdmin(ssh).awaitNodes(ready, timeout);   // step 5: krgadm nodes
            }
        }
    }

    /**
     * Without arguments prints the guide's cluster and its generated files; with
     * {@code --run <interface> <work folder> [first MAC]} runs the guide on real machines.
     *
     * @param args nothing, or {@code --run eth0 /var/lib/netboot4j/kerrighed [02:2D:61:C7:17:86]}
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("--run")) {
            String mac = args.length > 3 ? args[3] : "02:2D:61:C7:17:86";
            List<KrgNode> nodes = runGuide(guideWithBuilds(args[1], mac, Path.of(args[2])).build(), System.out, Duration.ofHours(1));
            System.out.println("krgadm nodes: " + nodes);
            return;
        }
        print(System.out);
    }

    /** Prints the cluster and its generated files to {@code out}. */
    public static void print(PrintStream out) {
        Path kernel = Path.of("/boot/vmlinuz-2.6.20-krg");
        out.println("== The Kerrighed guide's cluster, in code");
        try {
            guideCluster(kernel).build();
            out.println("(the guide's MAC addresses were accepted)");
        } catch (ClusterConfigException e) {
            out.println("build() without allowGroupMacAddresses() refuses the guide's MAC addresses, as it should:");
            e.getMessage().lines().forEach(l -> out.println("  | " + l));
            out.println("They are group (multicast) addresses: no card has one. Real nodes need their real MACs.");
            out.println("Building again with allowGroupMacAddresses(), to render the guide's files verbatim.");
        }
        Cluster cluster = guideCluster(kernel).allowGroupMacAddresses().build();
        out.println();
        out.printf("cluster %s: server %s (%s) on %s, subnet %s, domain %s, root %s%n", cluster.name(),
                cluster.network().serverName().value(), Ipv4.format(cluster.network().server()), cluster.network().interfaceName(),
                cluster.network().subnet(), cluster.network().domain(), cluster.rootFilesystem().path());
        for (Node n : cluster.nodes()) {
            out.printf("  %-15s %s  %-15s kernel: %s%n", n.hostname(), n.mac().toUpperString(), Ipv4.format(n.address()),
                    String.join(" ", cluster.kernelArguments(n)));
        }

        file(out, "/etc/dhcp/dhcpd.conf (the guide's /etc/dhcp3/dhcpd.conf)", DhcpdConfig.render(cluster));
        file(out, "/etc/default/isc-dhcp-server (the guide's /etc/default/dhcp3-server)", DhcpdConfig.interfacesFile(cluster));
        file(out, "/var/lib/tftpboot/pxelinux.cfg/default", PxeConfig.pxelinuxDefault(cluster));
        for (Node n : cluster.nodes()) {
            file(out, "/var/lib/tftpboot/" + PxeConfig.pxelinuxNodeFileName(n), PxeConfig.pxelinuxNode(cluster, n));
        }
        file(out, "/var/lib/tftpboot/" + cluster.boot().ipxeBootFile(), PxeConfig.ipxeScript(cluster));
        file(out, "/etc/exports (the export every root-export provider serves)", exportsLine(cluster));
        file(out, "/nfsroot/kerrighed" + KerrighedFiles.NODES_FILE, KerrighedFiles.nodesFile(cluster));
        file(out, "/nfsroot/kerrighed" + KerrighedFiles.DEFAULT_FILE, KerrighedFiles.defaultFile());
        file(out, "/nfsroot/kerrighed/etc/fstab", KerrighedFiles.fstabWithConfigfs(
                "# <file system> <mount point> <type> <options> <dump> <pass>\n"
                        + "proc            /proc         proc   defaults       0      0\n"
                        + "/dev/nfs        /             nfs    defaults       0      0\n"));
        out.println();
        out.println("== krgadm nodes, once all six are up");
        out.println(KerrighedFiles.expectedNodesAnswer(cluster));
    }

    /**
     * The guide's {@code /etc/exports} line for the cluster's root: the path, the subnet and
     * the root filesystem's export options (nfsroot's kernel-nfsd provider writes the same
     * into {@code /etc/exports.d}; its renderer is internal).
     */
    static String exportsLine(Cluster cluster) {
        var net = cluster.network();
        return "# /etc/exports #\n" + cluster.rootFilesystem().path() + " " + Ipv4.format(net.subnet().network()) + "/"
                + Ipv4.format(net.netmask()) + "(" + String.join(",", cluster.rootFilesystem().allExportOptions()) + ")\n";
    }

    private static void file(PrintStream out, String name, String text) {
        out.println();
        out.println("== " + name);
        out.print(text.endsWith("\n") ? text : text + "\n");
    }
}
