package io.netboot4j.kerrighed;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuild;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.kerrighed.internal.BzImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code prebuilt} kernel build: a kernel image someone else built (Debian's
 * {@code /boot/vmlinuz-*}, for example) and an optional initrd, checked and copied into a
 * boot folder. The kernel must be a bzImage: the x86 boot protocol's magic {@code HdrS} at
 * offset 0x202 (what PXELINUX and iPXE load).
 *
 * {@snippet :
 * KernelImage image = new PrebuiltKernel(Path.of("/boot/vmlinuz-6.1.0-13-amd64"),
 *         Optional.of(Path.of("/boot/initrd.img-6.1.0-13-amd64")), Path.of("/srv/tftp"))
 *     .build(BuildListener.none());
 * }
 *
 * @param kernel the kernel image
 * @param initrd its initrd, if any
 * @param bootFolder where the copies go; the returned image points there
 */
public record PrebuiltKernel(Path kernel, Optional<Path> initrd, Path bootFolder) implements KernelBuild {

    /** The build's name. */
    public static final String NAME = "prebuilt";

    /** @throws IllegalArgumentException if a path is missing */
    public PrebuiltKernel {
        if (kernel == null || initrd == null || bootFolder == null) {
            throw new IllegalArgumentException("a prebuilt kernel needs a kernel path, an initrd (or Optional.empty()) and a boot folder");
        }
    }

    /**
     * Checks the kernel is a bzImage and the initrd a non-empty file, and copies both
     * (atomically) into the boot folder under their own names.
     *
     * @throws KernelBuildException naming the step ({@code check-kernel}, {@code check-initrd},
     *     {@code copy-to-boot-folder}) and the file
     */
    @Override
    public KernelImage build(BuildListener listener) throws KernelBuildException {
        listener.progress("check-kernel", 0, 3, kernel.toString());
        try {
            BzImage.check(kernel);
        } catch (IOException e) {
            throw new KernelBuildException(NAME, "check-kernel", e.getMessage(), null, e);
        }
        if (initrd.isPresent()) {
            listener.progress("check-initrd", 1, 3, initrd.get().toString());
            Path i = initrd.get();
            try {
                if (!Files.isRegularFile(i) || Files.size(i) == 0) {
                    throw new KernelBuildException(NAME, "check-initrd", "initrd " + i + " is not a non-empty file", null, null);
                }
            } catch (IOException e) {
                throw new KernelBuildException(NAME, "check-initrd", "cannot read initrd " + i + ": " + e.getMessage(), null, e);
            }
        }
        listener.progress("copy-to-boot-folder", 2, 3, bootFolder.toString());
        try {
            Path k = copy(kernel);
            Optional<Path> r = initrd.isPresent() ? Optional.of(copy(initrd.get())) : Optional.empty();
            listener.progress("copy-to-boot-folder", 3, 3, "done");
            return new KernelImage(k, r);
        } catch (IOException e) {
            throw new KernelBuildException(NAME, "copy-to-boot-folder", "cannot copy into " + bootFolder + ": " + e.getMessage(), null, e);
        }
    }

    private Path copy(Path source) throws IOException {
        Path target = bootFolder.resolve(source.getFileName().toString());
        if (source.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            return target;
        }
        AtomicFiles.copy(source, target);
        return target;
    }
}
