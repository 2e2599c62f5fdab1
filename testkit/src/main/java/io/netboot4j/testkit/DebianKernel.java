package io.netboot4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stock Debian kernel and its initrd, as the Debian package {@code linux-image-amd64}
 * installs them: {@code /boot/vmlinuz-<version>} and {@code /boot/initrd.img-<version>}.
 * Debian's initramfs ({@code initramfs-tools}, {@code MODULES=most}) carries the e1000
 * driver, klibc's {@code ipconfig} and {@code nfsmount}, so
 * {@code root=/dev/nfs nfsroot=<server>:<path>,vers=3,tcp ip=dhcp rw} boots a root over NFS.
 *
 * @param version the kernel release, for example {@code 6.1.0-56-amd64}
 * @param kernel the kernel image
 * @param initrd its initial RAM disk
 */
public record DebianKernel(String version, Path kernel, Path initrd) {

    private static final Pattern VMLINUZ = Pattern.compile("vmlinuz-(.+)");

    /**
     * The newest kernel in {@code /boot} that has an initrd, if any.
     */
    public static Optional<DebianKernel> find() {
        return find(Path.of("/boot"));
    }

    /** The newest kernel in {@code folder} that has an initrd, if any. */
    public static Optional<DebianKernel> find(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<DebianKernel> kernels = files.map(p -> {
                Matcher m = VMLINUZ.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    return null;
                }
                Path initrd = folder.resolve("initrd.img-" + m.group(1));
                return Files.isReadable(p) && Files.isReadable(initrd) ? new DebianKernel(m.group(1), p, initrd) : null;
            }).filter(java.util.Objects::nonNull).sorted(Comparator.comparing(DebianKernel::version, DebianKernel::compareVersions)).toList();
            return kernels.isEmpty() ? Optional.empty() : Optional.of(kernels.getLast());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * The newest kernel in {@code /boot}.
     *
     * @throws IllegalStateException naming the Debian package to install, if there is none
     */
    public static DebianKernel require() {
        return find().orElseThrow(() -> new IllegalStateException(unavailableReason()));
    }

    /** Why {@link #find()} is empty, naming the Debian package; empty if a kernel is there. */
    public static String unavailableReason() {
        return find().isPresent() ? ""
                : "no /boot/vmlinuz-* with a matching /boot/initrd.img-*: install the Debian package linux-image-amd64";
    }

    /** Compares kernel releases number by number ({@code 6.1.0-9} before {@code 6.1.0-56}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            if (x[i].matches("\\d+") && y[i].matches("\\d+")) {
                c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
