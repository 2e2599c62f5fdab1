package io.netboot4j.examples;

import io.netboot4j.boot.PxeConfig;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import io.netboot4j.core.ClusterConfigException;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Node;
import io.netboot4j.dhcp.DhcpdConfig;
import io.netboot4j.kerrighed.Kerrighed;
import io.netboot4j.kerrighed.KerrighedFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The Kerrighed guide's six-node cluster in code
 * ({@code reference/kerrighed-diskless-guide.txt}): nodes {@code kerrighednode1..6} at
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
     * Prints the cluster and its generated files to standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
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
