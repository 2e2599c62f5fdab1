package io.netboot4j.core.spi;

/** Exports the shared root filesystem (NFS): the guide's part 1.3. */
public interface RootExport extends ClusterService {
}
