package io.netboot4j.core.spi;

/** Provider of boot-file serving (TFTP); the embedded default is named {@code embedded}. */
public interface BootFileServiceProvider extends ServiceProvider<BootFileService> {
}
