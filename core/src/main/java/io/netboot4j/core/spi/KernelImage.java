package io.netboot4j.core.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A built kernel.
 *
 * @param kernel the kernel image (bzImage)
 * @param initrd its initial RAM disk, if any
 */
public record KernelImage(Path kernel, Optional<Path> initrd) {
}
