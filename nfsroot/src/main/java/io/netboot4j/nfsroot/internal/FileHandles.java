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
 * NFS file handles: 40 bytes of {@code version, export id, device, inode, generation} and
 * an HMAC-SHA256 tag over them (truncated to 8 bytes) under a key kept in the work folder.
 * The generation is the file's birth time ({@code statx} {@code STATX_BTIME}), so a handle
 * of a deleted file does not name a later file that reuses its inode number; 0 where the
 * file system records no birth time. Version 1 handles (32 bytes, no generation, from
 * servers before this one) are still accepted.
 * The same file gets the same handle after a server restart as long as the key file
 * is kept; a handle whose tag does not verify was not made by this server
 * (NFS3ERR_BADHANDLE).
 */
public final class FileHandles {

    public static final int LENGTH = 40;
    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;
    private static final int LENGTH_1 = 32;

    /**
     * A decoded, verified handle.
     *
     * @param generation the file's birth time in nanoseconds; 0 if unknown (not checked)
     */
    public record Id(int exportId, long dev, long ino, long generation) {
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

    /** HMAC-SHA256 of the first {@code n} bytes, with a pooled Mac (virtual threads make thread-locals useless). */
    private byte[] tag(byte[] bytes, int n) {
        Mac m = macs.poll();
        if (m == null) {
            m = newMac();
        }
        try {
            m.update(bytes, 0, n);
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

    /** The handle of the file with {@code dev}, {@code ino} and birth time {@code generation}. */
    public byte[] encode(long dev, long ino, long generation) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).put((byte) 0).putShort((short) 0).putInt(exportId).putLong(dev).putLong(ino).putLong(generation);
        b.put(tag(b.array(), LENGTH - 8), 0, 8);
        return b.array();
    }

    /** The verified contents of {@code handle}, or null if it is not one of ours (BADHANDLE). */
    public Id decode(byte[] handle) {
        boolean v1 = handle.length == LENGTH_1 && handle[0] == VERSION_1;
        if (!v1 && (handle.length != LENGTH || handle[0] != VERSION)) {
            return null;
        }
        int signed = handle.length - 8;
        byte[] tag = tag(handle, signed);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOf(tag, 8), java.util.Arrays.copyOfRange(handle, signed, handle.length))) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(handle);
        b.getInt();
        int export = b.getInt();
        if (export != exportId) {
            return null;
        }
        return new Id(export, b.getLong(), b.getLong(), v1 ? 0 : b.getLong());
    }
}
