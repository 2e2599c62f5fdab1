package io.netboot4j.tftp.internal;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.internal.Daemon;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.tftp.TftpdHpaConfig;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs tftpd-hpa's {@code in.tftpd} on the cluster's boot tree, laid out in a folder. */
public final class TftpdHpaService implements BootFileService {

    private final ServiceContext context;
    private final Function<Cluster, PxeBootTree> treeOf;
    private final Path inTftpd;
    private final String user;
    private final ServiceState state = new ServiceState("tftpd-hpa");
    private volatile Daemon daemon;
    private volatile TftpdHpaConfig config;
    /** The tree last laid out in the daemon's folder. */
    private volatile PxeBootTree tree;

    /** @see io.netboot4j.tftp.TftpdHpaProvider */
    public TftpdHpaService(ServiceContext context, Function<Cluster, PxeBootTree> treeOf, Path inTftpd, String user) {
        this.context = context;
        this.treeOf = treeOf;
        this.inTftpd = inTftpd;
        this.user = user;
    }

    @Override
    public String name() {
        return "tftpd-hpa";
    }

    /** The configuration the daemon runs with; null before start. */
    public TftpdHpaConfig config() {
        return config;
    }

    @Override
    public void start() throws Exception {
        state.start();
        if (!Files.isExecutable(inTftpd)) {
            throw new IOException(inTftpd + " not found: install Debian package tftpd-hpa (its service need not run: "
                    + "netboot4j starts in.tftpd itself)");
        }
        Cluster cluster = context.cluster();
        Path work = context.workFolder();
        Path root = work.resolve("tftpboot");
        PxeBootTree t = treeOf.apply(cluster);
        t.writeTo(root);
        tree = t;
        int port = cluster.ports().tftp();
        if (port == 0) {
            port = freePort(new InetSocketAddress(cluster.network().server(), 0));
        }
        TftpdHpaConfig c = new TftpdHpaConfig(root, cluster.network().server(), port, user, List.of("--secure"));
        AtomicFiles.writeString(work.resolve("etc-default-tftpd-hpa"), c.defaultsFile());
        AtomicFiles.writeString(work.resolve("inetd.conf"), c.inetdLine() + "\n");
        InetSocketAddress target = new InetSocketAddress(c.address(), c.port());
        try (DatagramChannel probe = context.network().openUdp(new InetSocketAddress(c.address(), 0), false)) {
            // a child process inherits the network namespace of the thread that starts it (the seam's)
            daemon = Daemon.start("in.tftpd", context.network(), c.command(inTftpd), Map.of(), work.resolve("in.tftpd.log"),
                    d -> answers(probe, target), Duration.ofSeconds(10));
        }
        config = c;
        if (state.isClosed()) {
            daemon.close();
        }
    }

    private int freePort(InetSocketAddress at) throws IOException {
        try (DatagramChannel ch = context.network().openUdp(at, false)) {
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    /** Asks for a file once: whether the daemon answered (DATA or ERROR) within 100 ms. */
    private static boolean answers(DatagramChannel probe, InetSocketAddress target) throws IOException {
        byte[] rrq = TftpPacket.request(false, "netboot4j-probe-" + ProcessHandle.current().pid(), "octet", Map.of());
        DatagramSocket s = probe.socket();
        s.setSoTimeout(100);
        s.send(new DatagramPacket(rrq, rrq.length, target));
        try {
            s.receive(new DatagramPacket(new byte[1024], 1024));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * Yes while running, if every file of the new tree is at hand: tftpd-hpa reads files per
     * request, so only its folder changes.
     */
    @Override
    public boolean supportsUpdate(Cluster next) {
        return state.isRunning() && config != null && treeOf.apply(next).missing().isEmpty();
    }

    /**
     * Lays the tree of {@code next} out in the daemon's folder (each file moved into place
     * atomically) and deletes the files of the old tree that the new one lacks, such as a
     * removed node's pxelinux file; the daemon keeps running, and a transfer under way keeps
     * the file it opened (a replaced file's old content stays readable through its descriptor).
     */
    @Override
    public synchronized void update(Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " is not running");
        }
        Path root = config.directory();
        PxeBootTree t = treeOf.apply(next);
        try {
            t.writeTo(root);
            for (var f : tree.files()) {
                if (t.file(f.name()).isEmpty()) {
                    Files.deleteIfExists(root.resolve(f.name()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not lay out the changed boot tree in " + root, e);
        }
        tree = t;
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        TftpdHpaConfig c = config;
        Daemon d = daemon;
        return c == null || d == null || !d.isAlive() || !state.isRunning() ? Map.of()
                : Map.of("tftp", new InetSocketAddress(c.address(), c.port()));
    }

    @Override
    public void close() {
        state.closeOnce(daemon);
    }
}
