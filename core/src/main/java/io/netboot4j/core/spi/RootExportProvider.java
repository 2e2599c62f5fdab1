package io.netboot4j.core.spi;

/** Provider of root-filesystem export (NFS); the embedded default is named {@code embedded}. */
public interface RootExportProvider extends ServiceProvider<RootExport> {
}
