package io.netboot4j.core.spi;

/** Serves the boot loader, its configuration, kernel and initrd (TFTP): the guide's part 1.2. */
public interface BootFileService extends ClusterService {
}
