package io.netboot4j.dhcp;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.internal.Daemon;
import io.netboot4j.core.internal.Processes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DHCP daemon of its own (ISC dhcpd or Kea) run for a cluster: renders its configuration
 * into the service's work folder, has the daemon check it, then runs it in the foreground
 * on the cluster interface, in the network the cluster's seam stands for. Made by
 * {@link IscDhcpdProvider} and {@link KeaDhcpProvider}.
 *
 * <p>Live changes ({@code RunningCluster.update}): the changed description is rendered beside
 * the running configuration and checked by the daemon first ({@link #supportsUpdate}); only
 * then is it moved into place atomically and the daemon told (dhcpd: restarted, its lease
 * file kept; Kea: {@code config-reload} over its control socket).
 */
public abstract sealed class ManagedDhcpServer implements AddressAllocation permits IscDhcpd, KeaDhcp {

    /** How long the daemon may take to check its configuration or to start. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ManagedDhcpServer.class);

    final ServiceContext context;
    private volatile Cluster cluster;
    /** The last description {@link #supportsUpdate} rendered and the daemon accepted, and where. */
    private volatile Checked checked;
    private final ServiceState state;
    private volatile Daemon daemon;
    private final String name;
    private final String program;
    private final String configurationFileName;
    private final java.util.regex.Pattern readyLine;

    /**
     * @param name the service's name, for example {@code kea DHCP}
     * @param program the daemon's program, for example {@code kea-dhcp4}
     * @param configurationFileName the main configuration file's name in the work folder
     * @param readyLine a log line that says the daemon is serving
     */
    ManagedDhcpServer(ServiceContext context, String name, String program, String configurationFileName,
                      java.util.regex.Pattern readyLine) {
        this.context = context;
        this.cluster = context.cluster();
        this.name = name;
        this.program = program;
        this.configurationFileName = configurationFileName;
        this.readyLine = readyLine;
        this.state = new ServiceState(name);
    }

    @Override
    public final String name() {
        return name;
    }

    /** The daemon's program name, for messages. */
    final String program() {
        return program;
    }

    private record Checked(Cluster cluster, Path file) {
    }

    /** The description the daemon serves (the last one applied by {@link #update(Cluster)}). */
    final Cluster cluster() {
        return cluster;
    }

    /** Writes the files beside the main configuration (once, at start); none by default. */
    void writeCompanions(Path folder) throws IOException {
    }

    /** The main configuration for {@code c}. */
    abstract String render(Cluster c, Path folder);

    /**
     * Makes the running daemon serve the configuration just moved into place.
     *
     * @param running the running daemon
     * @return the daemon that now serves (the same one, or its replacement)
     */
    abstract Daemon reload(Daemon running, Path config, Path folder) throws IOException;

    /** The command that checks {@code config} without serving. */
    abstract List<String> checkCommand(Path config);

    /** The command that serves in the foreground. */
    abstract List<String> runCommand(Path config, Path folder);

    /** Environment for both commands. */
    Map<String, String> environment(Path folder) {
        return Map.of();
    }

    /** The main configuration file (rendered at {@link #start()}). */
    public final Path configurationFile() {
        return context.workFolder().resolve(configurationFileName);
    }

    /**
     * Renders the configuration, checks it with the daemon, and starts the daemon.
     *
     * @throws IOException if the interface is missing or lacks the server address, the
     *     daemon rejects the configuration (its output is in the message), or it does not start
     */
    @Override
    public void start() throws IOException {
        state.start();
        context.network().requireInterface(cluster.network().interfaceName(), cluster.network().server());
        Path folder = Files.createDirectories(context.workFolder());
        Path config = configurationFile();
        writeCompanions(folder);
        AtomicFiles.writeString(config, render(cluster, folder));
        check(config, folder);
        daemon = startDaemon(config, folder);
    }

    /** Starts the daemon on {@code config} and waits until it serves. */
    final Daemon startDaemon(Path config, Path folder) throws IOException {
        return Daemon.start(program(), context.network(), runCommand(config, folder), environment(folder),
                folder.resolve(program() + ".log"), Daemon.Readiness.logMatches(readyLine), START_TIMEOUT);
    }

    /**
     * Whether {@code next} can be applied: yes while the daemon runs, if the daemon accepts
     * {@code next}'s configuration. It is rendered beside the running one ({@code .next}) and
     * checked the way {@link #start()} checks; a configuration the daemon rejects is refused
     * (its output logged as a warning), so nothing of the cluster changes.
     */
    @Override
    public synchronized boolean supportsUpdate(Cluster next) {
        if (!isRunning() || state.isClosed()) {
            return false;
        }
        Checked c = checked;
        if (c != null && c.cluster() == next && Files.exists(c.file())) {
            return true;
        }
        Path folder = context.workFolder();
        Path candidate = folder.resolve(configurationFile().getFileName() + ".next");
        try {
            AtomicFiles.writeString(candidate, render(next, folder));
            check(candidate, folder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} refuses the changed cluster {}: {}", name(), next.name(), e.getMessage());
            return false;
        }
        checked = new Checked(next, candidate);
        return true;
    }

    /**
     * Applies {@code next}: its checked configuration replaces the running one atomically and
     * the daemon is told (see the class comment).
     *
     * @throws UnsupportedOperationException if {@link #supportsUpdate(Cluster)} is false
     * @throws java.io.UncheckedIOException if the daemon cannot take it (the message carries its output)
     */
    @Override
    public synchronized void update(Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " cannot apply the changed cluster " + next.name()
                    + " (not running, or the daemon rejects its configuration: see the log)");
        }
        Path folder = context.workFolder();
        Path config = configurationFile();
        try {
            AtomicFiles.move(checked.file(), config);
            checked = null;
            daemon = reload(daemon, config, folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(name() + " could not apply the changed cluster " + next.name(), e);
        }
        cluster = next;
        LOG.info("{} serves the changed cluster {} ({} nodes)", name(), next.name(), next.nodes().size());
    }

    private void check(Path config, Path folder) throws IOException {
        Processes.Result r;
        try {
            // In the seam's network: Kea checks that the interface exists.
            r = Processes.run(checkCommand(config), environment(folder), context.network(), START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking " + config, e);
        }
        if (r.timedOut() || r.exit() != 0) {
            throw new IOException(program() + " rejects the generated configuration " + config + " ("
                    + (r.timedOut() ? "did not finish in " + START_TIMEOUT : "exit " + r.exit()) + ", "
                    + String.join(" ", r.command()) + "):\n" + r.output());
        }
    }

    /** Whether the daemon runs. */
    public boolean isRunning() {
        Daemon d = daemon;
        return d != null && d.isAlive();
    }

    /** The daemon's output so far (empty before start). */
    public String log() {
        Daemon d = daemon;
        return d == null ? "" : d.logText();
    }

    @Override
    public Map<String, InetSocketAddress> endpoints() {
        return daemon == null ? Map.of() : Map.of("dhcp", new InetSocketAddress(cluster.network().server(), cluster.ports().dhcpServer()));
    }

    /** Stops the daemon; idempotent. */
    @Override
    public void close() {
        state.closeOnce(daemon);
    }
}
