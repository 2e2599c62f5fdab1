package io.netboot4j.tftp;

import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BootFileService;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.tftp.internal.TftpdHpaService;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code tftpd-hpa} boot-file provider: lays the cluster's {@link PxeBootTree} out in
 * {@code <work folder>/tftpboot}, writes {@code etc-default-tftpd-hpa} and
 * {@code inetd.conf} beside it for reference, and runs {@code in.tftpd} in the foreground
 * on the cluster's server address and TFTP port (Debian package {@code tftpd-hpa}; it needs
 * root to enter its {@code --secure} root). Port 0 picks a free port.
 *
 * <p>The daemon is started inside the network seam ({@code NetworkSeam.call}), so in a
 * testkit network namespace it listens there. It reports no boot events: tftpd-hpa logs to
 * syslog only.
 */
public final class TftpdHpaProvider extends NamedProvider<BootFileService> implements BootFileServiceProvider {

    /** The provider's name. */
    public static final String NAME = "tftpd-hpa";

    /** Debian's loaders, {@code /usr/sbin/in.tftpd}, user {@code nobody}. */
    public TftpdHpaProvider() {
        this(PxeBootTree::of, TftpdHpaConfig.DEBIAN_IN_TFTPD, "nobody");
    }

    /**
     * A provider with a tree, daemon and user of your own.
     *
     * @param tree makes the boot tree of a cluster
     * @param inTftpd the daemon
     * @param user the user it drops to ({@code tftp} where Debian's package created it)
     */
    public TftpdHpaProvider(Function<Cluster, PxeBootTree> tree, Path inTftpd, String user) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(inTftpd, "inTftpd");
        Objects.requireNonNull(user, "user");
        super(NAME, context -> new TftpdHpaService(context, tree, inTftpd, user));
    }
}
