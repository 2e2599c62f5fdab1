package io.netboot4j.nfsroot.rootfs;

import io.netboot4j.nfsroot.rootfs.internal.Sha512Crypt;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A password for {@code /etc/shadow}: either a crypt hash given by the user, or a clear
 * password that is hashed here with SHA-512 crypt ({@code $6$}, as {@code openssl passwd -6}
 * and {@code mkpasswd -m sha-512} make it). The clear text is never written, logged or
 * printed: {@link #toString()} hides it. A build keeps an existing {@code $6$} hash that
 * matches the clear password, so re-running leaves {@code /etc/shadow} unchanged.
 */
public final class Password {

    private static final Pattern CRYPT = Pattern.compile("\\$(1|5|6|y|gy|7|2[abxy])\\$[./0-9A-Za-z$=,]+");

    private final String hash;
    private final char[] clear;

    private Password(String hash, char[] clear) {
        this.hash = hash;
        this.clear = clear;
    }

    /**
     * A password given as a crypt hash, for example {@code $6$salt$...} from
     * {@code openssl passwd -6}; written to {@code /etc/shadow} as it is.
     *
     * @throws IllegalArgumentException if it is not a crypt hash ({@code $1$}, {@code $5$}, {@code $6$}, {@code $y$}, ...)
     */
    public static Password hashed(String cryptHash) {
        if (cryptHash == null || !CRYPT.matcher(cryptHash).matches()) {
            throw new IllegalArgumentException("not a crypt hash (expected $6$salt$hash as openssl passwd -6 prints it): "
                    + (cryptHash == null ? "null" : "a text of " + cryptHash.length() + " characters"));
        }
        return new Password(cryptHash, null);
    }

    /**
     * A clear password, hashed with SHA-512 crypt when written. The array is copied; clear
     * your own copy when done.
     *
     * @throws IllegalArgumentException if it is empty or contains a line break or a NUL
     */
    public static Password clear(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        for (char c : password) {
            if (c == '\n' || c == '\r' || c == 0) {
                throw new IllegalArgumentException("password must not contain a line break or a NUL character");
            }
        }
        return new Password(null, password.clone());
    }

    /** Whether this password was given as a hash. */
    public boolean isHashed() {
        return hash != null;
    }

    /** The hash to write: the given hash, or a new SHA-512 crypt hash with a random salt. */
    public String hash() {
        return hash(new SecureRandom());
    }

    /** The hash to write, salting a clear password from {@code random}. */
    public String hash(SecureRandom random) {
        if (hash != null) {
            return hash;
        }
        byte[] bytes = bytes();
        try {
            return Sha512Crypt.hash(bytes, random);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Whether {@code cryptHash} (a field of {@code /etc/shadow}) already stands for this
     * password: equal to the given hash, or a {@code $6$} hash of the clear password.
     */
    public boolean matches(String cryptHash) {
        if (hash != null) {
            return hash.equals(cryptHash);
        }
        byte[] bytes = bytes();
        try {
            return Sha512Crypt.matches(bytes, cryptHash);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private byte[] bytes() {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(clear));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }

    /** {@code Password[hash]} or {@code Password[clear]}; never the password or its hash. */
    @Override
    public String toString() {
        return hash != null ? "Password[hash]" : "Password[clear]";
    }
}
