package io.netboot4j.nfsroot;

import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.nfsroot.internal.KernelNfsdExport;
import java.util.List;

/**
 * The {@code kernel-nfsd} root export, as the guide does it: the export line (rendered
 * from the same rules as the embedded server, see {@link NfsExports}) goes to
 * {@code /etc/exports.d/netboot4j-<cluster>.exports}, then {@code exportfs -avr}. Needs
 * the Debian package {@code nfs-kernel-server} running, and root.
 */
public final class KernelNfsdProvider implements RootExportProvider {

    /** Creates the provider (ServiceLoader needs a public no-argument constructor). */
    public KernelNfsdProvider() {
    }

    @Override
    public String name() {
        return "kernel-nfsd";
    }

    @Override
    public RootExport create(ServiceContext context) {
        return new KernelNfsdExport(context, NfsExports::rules, KernelNfsdExport.defaultFile(context),
                List.of("exportfs"));
    }
}
