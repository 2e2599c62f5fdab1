package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final java.util.concurrent.ConcurrentLinkedQueue<Mac> macs = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public FileHandles(byte[] key, Path exportPath) {
        this.key = key.clone();
        this.exportId = exportId(exportPath);
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
        AtomicFiles.write(file, k, AtomicFiles.PRIVATE);
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

    /** HMAC-SHA256 of the first 24 bytes, with a pooled Mac (virtual threads make thread-locals useless). */
    private byte[] tag(byte[] bytes) {
        Mac m = macs.poll();
        if (m == null) {
            m = newMac();
        }
        try {
            m.update(bytes, 0, 24);
            return m.doFinal();
        } finally {
            if (macs.size() < 64) {
                macs.offer(m);
            }
        }
    }

    public int exportId() {
        return exportId;
    }

    /** The handle of the file with {@code dev} and {@code ino}. */
    public byte[] encode(long dev, long ino) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).put((byte) 0).putShort((short) 0).putInt(exportId).putLong(dev).putLong(ino);
        byte[] tag = tag(b.array());
        b.put(tag, 0, 8);
        return b.array();
    }

    /** The verified contents of {@code handle}, or null if it is not one of ours (BADHANDLE). */
    public Id decode(byte[] handle) {
        if (handle.length != LENGTH || handle[0] != VERSION) {
            return null;
        }
        byte[] tag = tag(handle);
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
