package io.netboot4j.core.spi;

/** Produces the kernel (and initrd) the nodes boot: the guide's part 2.1. */
public interface KernelBuild {

    /**
     * Builds or locates the kernel.
     *
     * @param listener receives progress
     * @return the kernel image and optional initrd
     * @throws Exception naming the failing step
     */
    KernelImage build(BuildListener listener) throws Exception;
}
