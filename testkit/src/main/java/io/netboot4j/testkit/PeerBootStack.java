package io.netboot4j.testkit;

import io.netboot4j.core.internal.Processes;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Network;
import io.netboot4j.core.Node;
import io.netboot4j.testkit.internal.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic daemons netboot4j's embedded stack is compared with, serving the same
 * {@link Cluster} inside a {@link NetworkNamespace}: {@code dnsmasq} for DHCP and TFTP
 * (fixed addresses for the cluster's MAC addresses only, unknown clients ignored,
 * {@code pxelinux.0} with one {@code pxelinux.cfg/01-<mac>} per node carrying
 * {@link Cluster#kernelArguments(Node)}), and {@code nfs-ganesha} (VFS back end, NFSv3
 * over TCP and UDP) registered with its own {@code rpcbind} for the root.
 *
 * <p>{@code rpcbind} keeps its socket at {@code /run/rpcbind.sock}, which every namespace
 * shares; so rpcbind and ganesha run in a private mount namespace with their own
 * {@code /run}, and never meet a host rpcbind or another test's.
 *
 * <p>Needs root and the Debian packages {@code dnsmasq-base}, {@code nfs-ganesha},
 * {@code nfs-ganesha-vfs}, {@code rpcbind}, {@code pxelinux} and {@code syslinux-common}.
 * Used by {@code bench/boot.sh} and by the testkit's own boot test.
 */
public final class PeerBootStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerBootStack.class);

    private final NetworkNamespace namespace;
    private final Cluster cluster;
    private final Path work;
    private final Path tftpTree;
    private final List<Process> processes = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private PeerBootStack(NetworkNamespace namespace, Cluster cluster, Path work, Path tftpTree) {
        this.namespace = namespace;
        this.cluster = cluster;
        this.work = work;
        this.tftpTree = tftpTree;
    }

    /** Whether the daemons are installed and we are root. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why {@link #available()} is false, naming the Debian package; empty if it is true. */
    public static String unavailableReason() {
        return Requirements.after(NetworkNamespace.unavailableReason())
                .command("dnsmasq", "the peer stack needs dnsmasq from the Debian package dnsmasq-base")
                .command("ganesha.nfsd", "the peer stack needs ganesha.nfsd from the Debian packages nfs-ganesha and nfs-ganesha-vfs")
                .holds(Commands.exists("rpcbind") && Commands.exists("rpcinfo"),
                        "the peer stack needs rpcbind and rpcinfo from the Debian package rpcbind")
                .command("unshare", "the peer stack needs unshare from the Debian package util-linux")
                .and(Pxelinux.unavailableReason())
                .reason();
    }

    /**
     * Writes the TFTP tree and the configurations into {@code work}, starts rpcbind and
     * nfs-ganesha (waiting until MOUNT and NFS are registered), then dnsmasq.
     *
     * @param namespace where the daemons run; the cluster's interface must exist in it
     * @param cluster what to serve: nodes, boot profile, root filesystem
     * @param work a folder for the TFTP tree, configurations and logs
     * @throws IllegalStateException if a daemon does not come up, with its log's tail
     */
    public static PeerBootStack start(NetworkNamespace namespace, Cluster cluster, Path work) {
        return start(namespace, cluster, work, null);
    }

    /**
     * Like {@link #start(NetworkNamespace, Cluster, Path)}, serving a boot tree written
     * elsewhere (for example netboot4j's own {@code PxeBootTree}, so both stacks send the
     * same files). iPXE clients (DHCP user class {@code iPXE}) are then given
     * {@link io.netboot4j.core.BootProfile#ipxeBootFile()} if the tree has it, x86-64 UEFI
     * clients (option 93 = 7 or 9, {@code dhcp-match} on {@code client-arch}) the cluster's
     * {@link io.netboot4j.core.BootProfile#uefiBootFile()} if the tree has it, others
     * {@link io.netboot4j.core.BootProfile#biosBootFile()}, as netboot4j's DHCP server does.
     *
     * @param tftpTree the folder dnsmasq serves; {@code null} to write the pxelinux tree
     */
    public static PeerBootStack start(NetworkNamespace namespace, Cluster cluster, Path work, Path tftpTree) {
        String why = unavailableReason();
        if (!why.isEmpty()) {
            throw new IllegalStateException(why);
        }
        PeerBootStack s = new PeerBootStack(namespace, cluster, work.toAbsolutePath(), tftpTree == null ? null : tftpTree.toAbsolutePath());
        try {
            Files.createDirectories(s.work);
            if (tftpTree == null) {
                s.writeTftpTree();
            }
            s.startGanesha();
            s.startDnsmasq();
            return s;
        } catch (IOException e) {
            s.close();
            throw new UncheckedIOException("cannot prepare the peer stack in " + work, e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The folder dnsmasq serves over TFTP. */
    public Path tftpRoot() {
        return tftpTree != null ? tftpTree : work.resolve("tftp");
    }

    private void writeTftpTree() throws IOException {
        Path tftp = tftpRoot();
        Files.createDirectories(tftp.resolve("pxelinux.cfg"));
        Pxelinux p = Pxelinux.require();
        Files.copy(p.pxelinux0(), tftp.resolve("pxelinux.0"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(p.ldlinux(), tftp.resolve("ldlinux.c32"), StandardCopyOption.REPLACE_EXISTING);
        var boot = cluster.boot();
        Files.copy(boot.kernel(), tftp.resolve(boot.kernelFileName()), StandardCopyOption.REPLACE_EXISTING);
        if (boot.initrd().isPresent()) {
            Files.copy(boot.initrd().get(), tftp.resolve(boot.initrdFileName().orElseThrow()), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Node n : cluster.nodes()) {
            Files.writeString(tftp.resolve("pxelinux.cfg").resolve(n.mac().pxelinuxName()), pxelinuxConfig(n), StandardCharsets.US_ASCII);
        }
    }

    /** The {@code pxelinux.cfg/01-<mac>} text for one node. */
    String pxelinuxConfig(Node n) {
        var boot = cluster.boot();
        List<String> append = new ArrayList<>();
        boot.initrdFileName().ifPresent(i -> append.add("initrd=" + i));
        append.addAll(cluster.kernelArguments(n));
        return "DEFAULT netboot4j\nLABEL netboot4j\n  KERNEL " + boot.kernelFileName() + "\n  APPEND " + String.join(" ", append) + "\n";
    }

    private void startGanesha() throws IOException {
        Network net = cluster.network();
        var root = cluster.rootFilesystem();
        String squash = root.exportOptions().contains("root_squash") ? "Root_Squash" : "No_Root_Squash";
        String conf = String.format(Locale.ROOT, """
                NFS_CORE_PARAM { Protocols = 3; Enable_NLM = false; Enable_RQUOTA = false; Bind_addr = %s; }
                NFSV4 { Graceless = true; }
                EXPORT {
                  Export_Id = 1; Path = %s; Pseudo = %s;
                  Access_Type = %s; Squash = %s; Protocols = 3; Transports = TCP, UDP; SecType = sys;
                  FSAL { Name = VFS; }
                }
                LOG { Default_Log_Level = EVENT; }
                """, Ipv4.format(net.server()), root.path(), root.path(), root.readWrite() ? "RW" : "RO", squash);
        Path confFile = work.resolve("ganesha.conf");
        Files.writeString(confFile, conf);
        Path log = work.resolve("ganesha.log");
        String script = "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/rpcbind /run/ganesha"
                + " && (chown _rpc: /run/rpcbind 2>/dev/null; true)"
                + " && { rpcbind -f -w & } && i=0 && while [ $i -lt 100 ] && ! rpcinfo -p 127.0.0.1 >/dev/null 2>&1; do sleep 0.1; i=$((i+1)); done"
                + " && exec ganesha.nfsd -F -L " + log + " -f " + confFile + " -p " + work.resolve("ganesha.pid");
        processes.add(namespace.start(work.resolve("ganesha.out"), "unshare", "--mount", "--propagation", "private", "sh", "-c", script));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            CommandResult r = namespace.exec(Duration.ofSeconds(10), "rpcinfo", "-p", Ipv4.format(net.server()));
            if (r.ok() && r.output().contains("nfs") && r.output().contains("mountd")) {
                LOG.info("nfs-ganesha exports {} in {}", root.path(), namespace.name());
                return;
            }
            if (System.nanoTime() > deadline || !processes.getLast().isAlive()) {
                throw new IllegalStateException("nfs-ganesha did not register NFS and MOUNT with rpcbind in " + namespace.name()
                        + "; rpcinfo: " + r.output() + "\n" + tail(work.resolve("ganesha.out")) + "\n" + tail(log));
            }
            sleep(200);
        }
    }

    private void startDnsmasq() {
        Network net = cluster.network();
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                "--port=0", "--interface=" + net.interfaceName(), "--bind-interfaces", "--leasefile-ro", "--log-dhcp",
                "--pid-file=" + work.resolve("dnsmasq.pid"),
                "--dhcp-range=" + Ipv4.format(net.subnet().network()) + ",static," + Ipv4.format(net.netmask()),
                "--dhcp-ignore=tag:!known",
                "--dhcp-option=option:router," + Ipv4.format(net.router()),
                "--enable-tftp", "--tftp-root=" + tftpRoot(),
                // dnsmasq's defaults (50 transfers, 1000 leases) refuse a storm of a large cluster: an admin raises them
                "--tftp-max=" + Math.max(50, 2 * cluster.nodes().size()),
                "--dhcp-lease-max=" + Math.max(1000, 2 * cluster.nodes().size())));
        var boot = cluster.boot();
        String next = "," + net.serverName().value() + "," + Ipv4.format(net.server());
        if (tftpTree != null && Files.exists(tftpTree.resolve(boot.ipxeBootFile()))) {
            cmd.add("--dhcp-userclass=set:ipxe,iPXE");
            cmd.add("--dhcp-boot=tag:ipxe," + boot.ipxeBootFile() + next);
            if (Files.exists(tftpTree.resolve(boot.uefiBootFile()))) {
                // UEFI x86-64 firmware (option 93 = 7, or 9) gets the cluster chain's loader, as dnsmasq's man page shows
                cmd.add("--dhcp-match=set:efi-x86_64,option:client-arch,7");
                cmd.add("--dhcp-match=set:efi-x86_64,option:client-arch,9");
                cmd.add("--dhcp-boot=tag:!ipxe,tag:efi-x86_64," + boot.uefiBootFile() + next);
                cmd.add("--dhcp-boot=tag:!ipxe,tag:!efi-x86_64," + boot.biosBootFile() + next);
            } else {
                cmd.add("--dhcp-boot=tag:!ipxe," + boot.biosBootFile() + next);
            }
        } else {
            cmd.add("--dhcp-boot=" + (tftpTree == null ? "pxelinux.0" : boot.biosBootFile()) + next);
        }
        if (!net.domain().isEmpty()) {
            cmd.add("--domain=" + net.domain());
        }
        for (Node n : cluster.nodes()) {
            cmd.add("--dhcp-host=" + n.mac() + "," + Ipv4.format(n.address()) + "," + n.hostname());
        }
        Path log = work.resolve("dnsmasq.log");
        processes.add(namespace.start(log, cmd.toArray(String[]::new)));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!readQuietly(log).contains("TFTP root is")) {
            if (System.nanoTime() > deadline || !processes.getLast().isAlive()) {
                throw new IllegalStateException("dnsmasq did not start in " + namespace.name() + ": " + tail(log));
            }
            sleep(100);
        }
        LOG.info("dnsmasq serves DHCP and TFTP on {} in {}", net.interfaceName(), namespace.name());
    }

    /** The dnsmasq log (DHCP and TFTP), for assertions and failure messages. */
    public String dnsmasqLog() {
        return readQuietly(work.resolve("dnsmasq.log"));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path p) {
        return CommandResult.tail(readQuietly(p), 2000);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops dnsmasq, ganesha and rpcbind; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Process p : processes.reversed()) {
            Processes.stop(p, Duration.ofSeconds(5));
        }
    }
}
