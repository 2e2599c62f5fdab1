package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.internal.ServiceState;
import io.netboot4j.core.internal.Processes;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kernel-nfsd} root export: writes the export lines (one per root: the cluster's
 * and each node group's own, each with its {@code fsid}) to a file under
 * {@code /etc/exports.d} and runs {@code exportfs -avr}, as the guide does with
 * {@code /etc/exports}; on close removes the file and runs {@code exportfs -avr} again,
 * which unexports it. A live change writes the file again and runs {@code exportfs -avr},
 * which also exports an added group root and withdraws a removed one.
 * The kernel server itself ({@code nfs-kernel-server}: rpc.nfsd,
 * rpc.mountd, rpcbind) is the system's.
 */
public final class KernelNfsdExport implements RootExport {

    private static final Logger LOG = LoggerFactory.getLogger(KernelNfsdExport.class);
    private static final java.time.Duration EXPORTFS_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final ServiceContext context;
    private final java.util.function.Function<io.netboot4j.core.Cluster, List<ExportRule>> rulesOf;
    private volatile io.netboot4j.core.Cluster cluster;
    private final Path exportsFile;
    private final List<String> exportfs;
    private final ServiceState state = new ServiceState("the kernel-nfsd export");
    private String lastOutput = "";

    /**
     * @param exportsFile where the export line is written
     * @param exportfs the exportfs command (tests run it in a private mount namespace)
     */
    public KernelNfsdExport(ServiceContext context, List<ExportRule> rules, Path exportsFile, List<String> exportfs) {
        this(context, c -> rules, exportsFile, exportfs);
    }

    /**
     * @param rulesOf the export rules of a cluster description, asked again on a live change
     * @param exportsFile where the export line is written
     * @param exportfs the exportfs command (tests run it in a private mount namespace)
     */
    public KernelNfsdExport(ServiceContext context, java.util.function.Function<io.netboot4j.core.Cluster, List<ExportRule>> rulesOf,
                            Path exportsFile, List<String> exportfs) {
        this.context = context;
        this.rulesOf = rulesOf;
        this.cluster = context.cluster();
        this.exportsFile = exportsFile;
        this.exportfs = List.copyOf(exportfs);
    }

    /** The default file: {@code /etc/exports.d/netboot4j-<cluster>.exports}. */
    public static Path defaultFile(ServiceContext context) {
        return Path.of("/etc/exports.d", "netboot4j-" + context.cluster().name() + ".exports");
    }

    @Override
    public String name() {
        return "kernel-nfsd root export";
    }

    /** The rendered file content (of the cluster last applied). */
    public String render() {
        return render(cluster);
    }

    private String render(io.netboot4j.core.Cluster c) {
        return ExportsFile.render(c, rulesOf);
    }

    /**
     * Yes while exported, every root of {@code next} is a folder and their fsids differ: the file
     * is rendered again and {@code exportfs -r} applies it.
     */
    @Override
    public synchronized boolean supportsUpdate(io.netboot4j.core.Cluster next) {
        if (!state.isRunning() || !next.rootFilesystems().stream().allMatch(r -> Files.isDirectory(r.path()))) {
            return false;
        }
        try {
            render(next);
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("{} refuses the changed cluster: {}", name(), e.getMessage());
            return false;
        }
    }

    /**
     * Writes {@code next}'s export line over the file (atomically) and runs {@code exportfs
     * -avr}, which re-exports to the new clients and drops from the kernel's export table the
     * clients no longer listed (exportfs(8) {@code -r}); mounts of clients that keep their
     * access go on. The file is unchanged if the line is.
     *
     * @throws java.io.UncheckedIOException if exportfs fails (its output is in the message); the
     *     previous line is then written back
     */
    @Override
    public synchronized void update(io.netboot4j.core.Cluster next) {
        if (!supportsUpdate(next)) {
            throw new UnsupportedOperationException(name() + " is not running");
        }
        String before = render(cluster);
        String after = render(next);
        if (after.equals(before)) {
            cluster = next;
            return;
        }
        try {
            AtomicFiles.writeString(exportsFile, after);
            try {
                lastOutput = Processes.check(command("-avr"), EXPORTFS_TIMEOUT);
            } catch (IOException e) {
                AtomicFiles.writeString(exportsFile, before);
                throw e;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(name() + " could not re-export " + exportsFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-exporting " + exportsFile, e);
        }
        cluster = next;
        LOG.info("re-exported {} ({}): {}", next.rootFilesystem().path(), exportsFile, Processes.tail(lastOutput));
    }

    /** What the last exportfs run printed. */
    public String lastOutput() {
        return lastOutput;
    }

    @Override
    public synchronized void start() throws Exception {
        state.start();
        Path root = context.cluster().rootFilesystem().path();
        for (io.netboot4j.core.RootFilesystem r : context.cluster().rootFilesystems()) {
            if (!Files.isDirectory(r.path())) {
                throw new IOException("the root filesystem " + r.path() + " is not a folder");
            }
        }
        AtomicFiles.writeString(exportsFile, render());
        try {
            lastOutput = Processes.check(command("-avr"), EXPORTFS_TIMEOUT);
        } catch (IOException e) {
            Files.deleteIfExists(exportsFile);
            throw new IOException(e.getMessage() + " (is nfs-kernel-server installed and running?)", e);
        }
        LOG.info("exported {} through the kernel NFS server ({}): {}", root, exportsFile, Processes.tail(lastOutput));
    }

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>(exportfs);
        c.addAll(List.of(args));
        return c;
    }

    @Override
    public synchronized void close() {
        if (state.close() != ServiceState.Phase.STARTED) {
            return;
        }
        try {
            Files.deleteIfExists(exportsFile);
            lastOutput = Processes.check(command("-avr"), EXPORTFS_TIMEOUT);
        } catch (IOException e) {
            LOG.warn("unexporting {} failed: {}", exportsFile, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
