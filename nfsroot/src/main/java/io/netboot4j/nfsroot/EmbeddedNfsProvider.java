package io.netboot4j.nfsroot;

import io.netboot4j.core.spi.RootExport;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.NamedProvider;
import io.netboot4j.nfsroot.internal.EmbeddedNfsServer;

/**
 * The {@code embedded} root export: an NFSv3 + MOUNT v3 server in this JVM (its own ONC RPC transport on
 * virtual threads), with an in-process portmapper when the host has none. Exports the cluster's
 * root filesystem to the clients of {@link NfsExports} (default: the cluster subnet with
 * the root filesystem's export options).
 */
public final class EmbeddedNfsProvider extends NamedProvider<RootExport> implements RootExportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public EmbeddedNfsProvider() {
        super("embedded", context -> new EmbeddedNfsServer(context, NfsExports::rules));
    }

    /** Yes: one export per root of {@link io.netboot4j.core.Cluster#rootFilesystems()} (the nfsroot README says how). */
    @Override
    public boolean exportsSeveralRoots() {
        return true;
    }
}
