package io.netboot4j.nfsroot;

import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.nfsroot.internal.KernelNfsdExport;
import java.util.List;

/**
 * The {@code kernel-nfsd} root export, as the guide does it: the export line (rendered
 * from the same rules as the embedded server, see {@link NfsExports}) goes to
 * {@code /etc/exports.d/netboot4j-<cluster>.exports}, then {@code exportfs -avr}. Needs
 * the Debian package {@code nfs-kernel-server} running, and root.
 */
public final class KernelNfsdProvider extends NamedProvider<RootExport> implements RootExportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public KernelNfsdProvider() {
        super("kernel-nfsd", context -> {
            return new KernelNfsdExport(context, NfsExports::rules, KernelNfsdExport.defaultFile(context),
                    List.of("exportfs"));
        });
    }

    /** Yes: one export per root of {@link io.netboot4j.core.Cluster#rootFilesystems()} (the nfsroot README says how). */
    @Override
    public boolean exportsSeveralRoots() {
        return true;
    }
}
