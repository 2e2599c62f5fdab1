package io.netboot4j.tftp;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.boot.PxeConfig;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.http.HttpBootServer;
import io.netboot4j.tftp.internal.EmbeddedBootFiles;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code embedded} boot-file provider: the cluster's {@link PxeBootTree} served by an
 * in-process {@link TftpServer} on the cluster's server address and TFTP port, and by an
 * in-process {@link HttpBootServer} on its HTTP port ({@code ServicePorts.http()}, 80 by
 * default): one tree, two protocols. The firmware's first file comes over TFTP; by default
 * the iPXE script then loads kernel and initrd over HTTP, and UEFI HTTP Boot clients load
 * their loader over HTTP.
 *
 * <p>Found by {@link java.util.ServiceLoader} under the name {@code embedded}; pass an
 * instance to {@code ClusterBuilder.bootFiles(provider)} to change the loaders' paths or
 * the servers' settings:
 * {@snippet :
 * var provider = new EmbeddedTftpProvider(
 *         c -> PxeBootTree.builder(c).pxelinux(Path.of("/opt/syslinux/pxelinux.0"))
 *                 .httpBase(PxeConfig.httpBase(c)).build(),
 *         tftp -> tftp.maxTransfers(256),
 *         http -> http.maxConnections(256));
 * }
 */
public final class EmbeddedTftpProvider extends NamedProvider<BootFileService> implements BootFileServiceProvider {

    /** The provider's name. */
    public static final String NAME = "embedded";

    /**
     * Debian's loaders, the servers' defaults, TFTP and HTTP, and an iPXE script that loads
     * kernel and initrd over HTTP (what {@link java.util.ServiceLoader} creates).
     */
    public EmbeddedTftpProvider() {
        this(EmbeddedTftpProvider::httpTree, b -> { }, b -> { });
    }

    /**
     * A provider with a tree and TFTP settings of your own, serving HTTP with its defaults too.
     *
     * @param tree makes the boot tree of a cluster (give it {@code httpBase(PxeConfig.httpBase(c))}
     *        for an iPXE script that loads over HTTP)
     * @param server adjusts the TFTP server builder (its source, address, seam, events and clock are set from the cluster)
     */
    public EmbeddedTftpProvider(Function<Cluster, PxeBootTree> tree, Consumer<TftpServer.Builder> server) {
        this(tree, server, b -> { });
    }

    /**
     * A provider with a tree and settings of both servers of your own.
     *
     * @param tree makes the boot tree of a cluster
     * @param server adjusts the TFTP server builder
     * @param http adjusts the HTTP server builder (its tree, address, seam, events and clock are set from the cluster)
     */
    public EmbeddedTftpProvider(Function<Cluster, PxeBootTree> tree, Consumer<TftpServer.Builder> server,
                                Consumer<HttpBootServer.Builder> http) {
        this(tree, server, Optional.of(Objects.requireNonNull(http, "http")));
    }

    private EmbeddedTftpProvider(Function<Cluster, PxeBootTree> tree, Consumer<TftpServer.Builder> server,
                                 Optional<Consumer<HttpBootServer.Builder>> http) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(server, "server");
        super(NAME, context -> new EmbeddedBootFiles(context, tree, server, http));
    }

    /**
     * A provider serving TFTP only (no HTTP server, an iPXE script with names relative to itself),
     * as before HTTP boot.
     *
     * @param tree makes the boot tree of a cluster, for example {@code PxeBootTree::of}
     * @param server adjusts the TFTP server builder
     */
    public static EmbeddedTftpProvider withoutHttp(Function<Cluster, PxeBootTree> tree, Consumer<TftpServer.Builder> server) {
        return new EmbeddedTftpProvider(tree, server, Optional.empty());
    }

    /** The default tree: Debian's loaders, the iPXE script loading from {@link PxeConfig#httpBase(Cluster)}. */
    public static PxeBootTree httpTree(Cluster cluster) {
        return PxeBootTree.builder(cluster).httpBase(PxeConfig.httpBase(cluster)).build();
    }
}
