package io.netboot4j.nfsroot;

import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.nfsroot.internal.GaneshaExport;

/**
 * The {@code nfs-ganesha} root export: renders a ganesha.conf from the same rules as the
 * embedded server ({@link NfsExports}) with the FSAL of {@link GaneshaFsal} (VFS by
 * default), starts {@code rpcbind} if no portmapper answers and {@code ganesha.nfsd} as
 * child processes, and stops them on close. Needs the Debian packages
 * {@code nfs-ganesha}, {@code nfs-ganesha-vfs} (or the FSAL's package) and {@code rpcbind}.
 */
public final class NfsGaneshaProvider extends NamedProvider<RootExport> implements RootExportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public NfsGaneshaProvider() {
        super("nfs-ganesha", context -> {
            GaneshaFsal fsal = context.cluster().extension(GaneshaFsal.class).orElse(GaneshaFsal.vfs());
            return new GaneshaExport(context, NfsExports::rules, fsal.name(), fsal.options());
        });
    }

    /** Yes: one export per root of {@link io.netboot4j.core.Cluster#rootFilesystems()} (the nfsroot README says how). */
    @Override
    public boolean exportsSeveralRoots() {
        return true;
    }
}
