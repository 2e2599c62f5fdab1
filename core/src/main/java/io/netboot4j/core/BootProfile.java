package io.netboot4j.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the nodes boot: kernel, optional initrd, kernel arguments, and the names of the
 * boot loaders DHCP points to.
 *
 * @param kernel the kernel image on the head (served by name {@link #kernelFileName()})
 * @param initrd the initial RAM disk, if any
 * @param append arguments added before the NFS-root arguments (the guide's {@code console=tty1})
 * @param biosBootFile boot file for BIOS PXE clients (DHCP option 93 = 0), default {@code pxelinux.0}
 * @param uefiBootFile boot file for x86-64 UEFI clients (option 93 = 7 or 9) whose chain is
 *     {@code uefiChain}, default that chain's {@link UefiChain#x86BootFile()} ({@code snponly.efi})
 * @param ipxeBootFile boot file or script URL given to iPXE (user class {@code iPXE}), default {@code boot.ipxe}
 * @param uefiChain the loaders UEFI nodes run, unless a node chooses its own; default {@link UefiChain#IPXE}
 */
public record BootProfile(Path kernel, Optional<Path> initrd, List<String> append,
                          String biosBootFile, String uefiBootFile, String ipxeBootFile, UefiChain uefiChain) {

    /** Copies the lists. */
    public BootProfile {
        append = List.copyOf(append);
        java.util.Objects.requireNonNull(uefiChain, "uefiChain");
    }

    /**
     * The boot file for a UEFI client of {@code chain}: {@link #uefiBootFile()} for the
     * profile's own chain on x86-64 (so a name given with {@code uefiBootFile} wins), else the
     * chain's file for the architecture.
     *
     * @param chain the client's chain ({@link Cluster#uefiChain(Node)})
     * @param arm64 whether the client is arm64 (option 93 = 11) rather than x86-64
     * @return the file, or empty if the chain has no loader for that architecture
     */
    public Optional<String> uefiBootFile(UefiChain chain, boolean arm64) {
        if (arm64) {
            return chain.arm64BootFile();
        }
        return Optional.of(chain == uefiChain ? uefiBootFile : chain.x86BootFile());
    }

    /** The kernel's file name in the boot tree. */
    public String kernelFileName() {
        return kernel.getFileName().toString();
    }

    /** The initrd's file name in the boot tree, if there is an initrd. */
    public Optional<String> initrdFileName() {
        return initrd.map(p -> p.getFileName().toString());
    }

    /**
     * The NFS-root arguments for a root: {@code root=/dev/nfs nfsroot=<server>:<path>[,opts] ip=dhcp rw}.
     *
     * @param network gives the server address
     * @param root gives the path, mount options and {@code rw}/{@code ro}
     * @return the arguments, in that order
     */
    public static List<String> nfsRootArguments(Network network, RootFilesystem root) {
        String opts = root.mountOptions().isEmpty() ? "" : "," + String.join(",", root.mountOptions());
        return List.of("root=/dev/nfs", "nfsroot=" + Ipv4.format(network.server()) + ":" + root.path() + opts,
                "ip=dhcp", root.readWrite() ? "rw" : "ro");
    }

    /**
     * The whole kernel command line of one node: its profile's {@link #append()} (its group's, see
     * {@link Cluster#boot(Node)}), the
     * NFS-root arguments of its root ({@link Cluster#rootFilesystem(Node)}), the arguments of cluster extensions (Kerrighed's
     * {@code session_id}/{@code node_id}), then the node's own.
     */
    public static List<String> kernelArguments(Cluster cluster, Node node) {
        List<String> args = new ArrayList<>(cluster.boot(node).append());
        args.addAll(nfsRootArguments(cluster.network(), cluster.rootFilesystem(node)));
        for (ClusterExtension e : cluster.extensions()) {
            args.addAll(e.kernelArguments(cluster, node));
        }
        args.addAll(node.kernelArguments());
        return List.copyOf(args);
    }
}
