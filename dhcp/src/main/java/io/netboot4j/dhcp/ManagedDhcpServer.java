package io.netboot4j.dhcp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.AddressAllocation;
import io.netboot4j.core.spi.ServiceContext;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A DHCP daemon of its own (ISC dhcpd or Kea) run for a cluster: renders its configuration
 * into the service's work folder, has the daemon check it, then runs it in the foreground
 * on the cluster interface, in the network the cluster's seam stands for. Made by
 * {@link IscDhcpdProvider} and {@link KeaDhcpProvider}.
 */
public abstract sealed class ManagedDhcpServer implements AddressAllocation permits IscDhcpd, KeaDhcp {

    /** How long the daemon may take to check its configuration or to start. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    final ServiceContext context;
    final Cluster cluster;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
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
    }

    @Override
    public final String name() {
        return name;
    }

    /** The daemon's program name, for messages. */
    final String program() {
        return program;
    }

    /** Writes the configuration files; returns the main one. */
    abstract Path writeConfiguration(Path folder) throws IOException;

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
        if (closed.get()) {
            throw new IllegalStateException(name() + " was closed; make a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(name() + " was already started");
        }
        context.network().requireInterface(cluster.network().interfaceName(), cluster.network().server());
        Path folder = Files.createDirectories(context.workFolder());
        Path config = writeConfiguration(folder);
        check(config, folder);
        daemon = Daemon.start(program(), context.network(), runCommand(config, folder), environment(folder),
                folder.resolve(program() + ".log"), Daemon.Readiness.logMatches(readyLine), START_TIMEOUT);
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
        if (closed.compareAndSet(false, true)) {
            Daemon d = daemon;
            if (d != null) {
                d.close();
            }
        }
    }
}
