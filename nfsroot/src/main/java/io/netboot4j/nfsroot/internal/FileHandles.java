package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NFS file handles: 32 bytes of {@code version, export id, device, inode} and an
 * HMAC-SHA256 tag over them (truncated to 8 bytes) under a key kept in the work folder.
 * The same file gets the same handle after a server restart as long as the key file
 * is kept; a handle whose tag does not verify was not made by this server
 * (NFS3ERR_BADHANDLE).
 */
public final class FileHandles {

    public static final int LENGTH = 32;
    private static final byte VERSION = 1;

    /** A decoded, verified handle. */
    public record Id(int exportId, long dev, long ino) {
    }

    private final byte[] key;
    private final int exportId;
    private final ThreadLocal<Mac> mac;

    public FileHandles(byte[] key, Path exportPath) {
        this.key = key.clone();
        this.exportId = exportId(exportPath);
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    /** The export id: the first four bytes of SHA-256 of the export path. */
    public static int exportId(Path exportPath) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(exportPath.toString().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getInt();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the handle key from {@code file}, creating it (32 random bytes, mode 0600,
     * written atomically) when missing.
     */
    public static byte[] loadOrCreateKey(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] k = Files.readAllBytes(file);
            if (k.length >= 16) {
                return k;
            }
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".nfs-handle-key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, k);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return k;
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public int exportId() {
        return exportId;
    }

    /** The handle of the file with {@code dev} and {@code ino}. */
    public byte[] encode(long dev, long ino) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).put((byte) 0).putShort((short) 0).putInt(exportId).putLong(dev).putLong(ino);
        Mac m = mac.get();
        m.update(b.array(), 0, 24);
        byte[] tag = m.doFinal();
        b.put(tag, 0, 8);
        return b.array();
    }

    /** The verified contents of {@code handle}, or null if it is not one of ours (BADHANDLE). */
    public Id decode(byte[] handle) {
        if (handle.length != LENGTH || handle[0] != VERSION) {
            return null;
        }
        Mac m = mac.get();
        m.update(handle, 0, 24);
        byte[] tag = m.doFinal();
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, 8), java.util.Arrays.copyOfRange(handle, 24, 32))) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(handle);
        b.getInt();
        int export = b.getInt();
        if (export != exportId) {
            return null;
        }
        return new Id(export, b.getLong(), b.getLong());
    }
}
