package io.netboot4j.tftp;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.tftp.internal.EmbeddedBootFiles;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code embedded} boot-file provider: the cluster's {@link PxeBootTree} served by an
 * in-process {@link TftpServer} on the cluster's server address and TFTP port.
 *
 * <p>Found by {@link java.util.ServiceLoader} under the name {@code embedded}; pass an
 * instance to {@code ClusterBuilder.bootFiles(provider)} to change the loaders' paths or
 * the server's settings:
 * {@snippet :
 * var provider = new EmbeddedTftpProvider(
 *         c -> PxeBootTree.builder(c).pxelinux(Path.of("/opt/syslinux/pxelinux.0")).build(),
 *         server -> server.maxTransfers(256));
 * }
 */
public final class EmbeddedTftpProvider implements BootFileServiceProvider {

    /** The provider's name. */
    public static final String NAME = "embedded";

    private final Function<Cluster, PxeBootTree> tree;
    private final Consumer<TftpServer.Builder> server;

    /** Debian's loaders and the server's defaults (what {@link java.util.ServiceLoader} creates). */
    public EmbeddedTftpProvider() {
        this(PxeBootTree::of, b -> { });
    }

    /**
     * A provider with a tree and server settings of your own.
     *
     * @param tree makes the boot tree of a cluster
     * @param server adjusts the server builder (its source, address, seam, events and clock are set from the cluster)
     */
    public EmbeddedTftpProvider(Function<Cluster, PxeBootTree> tree, Consumer<TftpServer.Builder> server) {
        this.tree = Objects.requireNonNull(tree, "tree");
        this.server = Objects.requireNonNull(server, "server");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BootFileService create(ServiceContext context) {
        return new EmbeddedBootFiles(context, tree, server);
    }
}
