package io.netboot4j.kerrighed.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that a file is an x86 Linux kernel image in the boot protocol's format: the
 * setup header's magic {@code HdrS} at offset 0x202 (Documentation/x86/boot.rst).
 */
public final class BzImage {

    /** Offset of the setup header's magic. */
    public static final int HEADER_OFFSET = 0x202;
    /** The magic. */
    public static final String MAGIC = "HdrS";

    private BzImage() {
    }

    /**
     * @throws IOException naming the file and what was found, if it is missing, short, or has no magic
     */
    public static void check(Path kernel) throws IOException {
        if (!Files.isRegularFile(kernel)) {
            throw new IOException("kernel " + kernel + " is not a file");
        }
        try (FileChannel ch = FileChannel.open(kernel, StandardOpenOption.READ)) {
            if (ch.size() < HEADER_OFFSET + 4) {
                throw new IOException("kernel " + kernel + " is not a bzImage: it has " + ch.size()
                        + " bytes, fewer than the setup header needs");
            }
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining()) {
                if (ch.read(b, HEADER_OFFSET + b.position()) < 0) {
                    break;
                }
            }
            String found = new String(b.array(), StandardCharsets.ISO_8859_1);
            if (!found.equals(MAGIC)) {
                StringBuilder hex = new StringBuilder();
                for (byte x : b.array()) {
                    hex.append(String.format("%02x", x & 0xFF));
                }
                throw new IOException("kernel " + kernel + " is not a bzImage: no '" + MAGIC + "' at offset 0x202 (found 0x" + hex
                        + "); give the compressed kernel (vmlinuz, arch/x86/boot/bzImage), not vmlinux or another file");
            }
        }
    }

    /** Whether {@code kernel} passes {@link #check(Path)}. */
    public static boolean isBzImage(Path kernel) {
        try {
            check(kernel);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
