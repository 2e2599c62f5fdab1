package io.netboot4j.tftp.internal;

import io.netboot4j.core.Cluster;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tftpd-hpa's {@code in.tftpd} on the cluster's boot tree, laid out in a folder. */
public final class TftpdHpaService implements BootFileService {

    private static final Logger LOG = LoggerFactory.getLogger(TftpdHpaService.class);

    private final ServiceContext context;
    private final Function<Cluster, PxeBootTree> treeOf;
    private final Path inTftpd;
    private final String user;
    private final AtomicInteger state = new AtomicInteger();
    private volatile Process process;
    private volatile TftpdHpaConfig config;
    private Path log;

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
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException(name() + (state.get() == 2 ? " is closed" : " was already started"));
        }
        if (!Files.isExecutable(inTftpd)) {
            throw new IOException(inTftpd + " not found: install Debian package tftpd-hpa (its service need not run: "
                    + "netboot4j starts in.tftpd itself)");
        }
        Cluster cluster = context.cluster();
        Path work = context.workFolder();
        Path root = work.resolve("tftpboot");
        treeOf.apply(cluster).writeTo(root);
        int port = cluster.ports().tftp();
        if (port == 0) {
            port = freePort(new InetSocketAddress(cluster.network().server(), 0));
        }
        TftpdHpaConfig c = new TftpdHpaConfig(root, cluster.network().server(), port, user, List.of("--secure"));
        write(work.resolve("etc-default-tftpd-hpa"), c.defaultsFile());
        write(work.resolve("inetd.conf"), c.inetdLine() + "\n");
        log = work.resolve("in.tftpd.log");
        ProcessBuilder pb = new ProcessBuilder(c.command(inTftpd)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        LOG.info("starting {} in the {}", String.join(" ", pb.command()), context.network().describe());
        // a child process inherits the network namespace of the thread that starts it
        Process p = context.network().call(pb::start);
        process = p;
        config = c;
        try {
            awaitListening(c, p);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private int freePort(InetSocketAddress at) throws IOException {
        try (DatagramChannel ch = context.network().openUdp(at, false)) {
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Asks for a file until the daemon answers (DATA or ERROR), the process dies, or 10 s pass. */
    private void awaitListening(TftpdHpaConfig c, Process p) throws Exception {
        InetSocketAddress target = new InetSocketAddress(c.address(), c.port());
        byte[] rrq = TftpPacket.request(false, "netboot4j-probe-" + ProcessHandle.current().pid(), "octet", Map.of());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramChannel ch = context.network().openUdp(new InetSocketAddress(c.address(), 0), false)) {
            DatagramSocket s = ch.socket();
            s.setSoTimeout(100);
            byte[] buf = new byte[1024];
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IOException("in.tftpd exited with code " + p.exitValue() + ": " + tail());
                }
                s.send(new DatagramPacket(rrq, rrq.length, target));
                try {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    s.receive(in);
                    return; // DATA or ERROR: it listens
                } catch (SocketTimeoutException e) {
                    // not yet
                }
            }
        }
        throw new IOException("in.tftpd did not answer on " + target + " within 10 s: " + tail());
    }

    private String tail() {
        try {
            String text = log == null || !Files.exists(log) ? "" : Files.readString(log, StandardCharsets.ISO_8859_1).strip();
            return text.isEmpty() ? "(no output)" : text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        TftpdHpaConfig c = config;
        Process p = process;
        return c == null || p == null || !p.isAlive() || state.get() != 1 ? Map.of()
                : Map.of("tftp", new InetSocketAddress(c.address(), c.port()));
    }

    @Override
    public void close() {
        if (state.getAndSet(2) == 2) {
            return;
        }
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            LOG.info("stopped in.tftpd (exit {})", p.isAlive() ? "?" : Integer.toString(p.exitValue()));
        }
    }
}
