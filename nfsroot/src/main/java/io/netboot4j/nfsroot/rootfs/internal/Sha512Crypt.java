package io.netboot4j.nfsroot.rootfs.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

/**
 * SHA-512 crypt ({@code $6$}), as specified by Ulrich Drepper in "Unix crypt using SHA-256
 * and SHA-512" (https://www.akkadia.org/drepper/SHA-crypt.txt), the format of
 * {@code /etc/shadow} on Debian and of {@code openssl passwd -6} and {@code mkpasswd -m sha-512}.
 */
public final class Sha512Crypt {

    /** The prefix of SHA-512 crypt strings. */
    public static final String PREFIX = "$6$";
    /** Rounds when none are given. */
    public static final int DEFAULT_ROUNDS = 5000;
    private static final int MIN_ROUNDS = 1000;
    private static final int MAX_ROUNDS = 999_999_999;
    private static final int MAX_SALT = 16;
    private static final String ROUNDS = "rounds=";
    private static final char[] ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int[][] ORDER = {
            {0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4}, {47, 5, 26}, {6, 27, 48},
            {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32}, {12, 33, 54}, {34, 55, 13},
            {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};

    private Sha512Crypt() {
    }

    /**
     * Hashes {@code password} with a random 16-character salt and the default rounds.
     *
     * @param password the password's bytes (UTF-8); not kept
     * @param random the salt's source
     */
    public static String hash(byte[] password, Random random) {
        char[] salt = new char[MAX_SALT];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = ITOA64[random.nextInt(ITOA64.length)];
        }
        return crypt(password, PREFIX + new String(salt));
    }

    /** Hashes with a {@link SecureRandom} salt. */
    public static String hash(byte[] password) {
        return hash(password, new SecureRandom());
    }

    /**
     * Whether {@code password} hashes to {@code cryptText} (a {@code $6$} string); false for
     * any other scheme.
     */
    public static boolean matches(byte[] password, String cryptText) {
        if (cryptText == null || !cryptText.startsWith(PREFIX) || cryptText.lastIndexOf('$') <= PREFIX.length() - 1) {
            return false;
        }
        String computed = crypt(password, cryptText.substring(0, cryptText.lastIndexOf('$')));
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), cryptText.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The crypt string of {@code password} under {@code setting}: {@code $6$salt} or
     * {@code $6$rounds=N$salt}, optionally followed by {@code $} and anything (an existing hash).
     * The salt is cut to 16 characters and the rounds clamped to 1000–999999999, as the
     * specification says.
     *
     * @throws IllegalArgumentException if {@code setting} does not start with {@code $6$}
     */
    public static String crypt(byte[] password, String setting) {
        if (setting == null || !setting.startsWith(PREFIX)) {
            throw new IllegalArgumentException("SHA-512 crypt setting must start with $6$");
        }
        String rest = setting.substring(PREFIX.length());
        int rounds = DEFAULT_ROUNDS;
        boolean customRounds = false;
        if (rest.startsWith(ROUNDS)) {
            int end = rest.indexOf('$');
            if (end > 0) {
                String digits = rest.substring(ROUNDS.length(), end);
                if (!digits.isEmpty() && digits.chars().allMatch(Character::isDigit)) {
                    long r = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
                    rounds = (int) Math.max(MIN_ROUNDS, Math.min(MAX_ROUNDS, r));
                    customRounds = true;
                    rest = rest.substring(end + 1);
                }
            }
        }
        int saltEnd = rest.indexOf('$');
        String saltText = saltEnd < 0 ? rest : rest.substring(0, saltEnd);
        if (saltText.length() > MAX_SALT) {
            saltText = saltText.substring(0, MAX_SALT);
        }
        byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);
        byte[] key = password;

        MessageDigest a = sha512();
        a.update(key);
        a.update(salt);
        MessageDigest b = sha512();
        b.update(key);
        b.update(salt);
        b.update(key);
        byte[] bSum = b.digest();
        int cnt;
        for (cnt = key.length; cnt > 64; cnt -= 64) {
            a.update(bSum, 0, 64);
        }
        a.update(bSum, 0, cnt);
        for (cnt = key.length; cnt > 0; cnt >>= 1) {
            if ((cnt & 1) != 0) {
                a.update(bSum, 0, 64);
            } else {
                a.update(key);
            }
        }
        byte[] aSum = a.digest();

        MessageDigest dp = sha512();
        for (int i = 0; i < key.length; i++) {
            dp.update(key);
        }
        byte[] dpSum = dp.digest();
        byte[] pSeq = new byte[key.length];
        for (int i = 0; i < pSeq.length; i++) {
            pSeq[i] = dpSum[i % 64];
        }

        MessageDigest ds = sha512();
        for (int i = 0; i < 16 + (aSum[0] & 0xFF); i++) {
            ds.update(salt);
        }
        byte[] dsSum = ds.digest();
        byte[] sSeq = new byte[salt.length];
        for (int i = 0; i < sSeq.length; i++) {
            sSeq[i] = dsSum[i % 64];
        }

        byte[] c = aSum;
        MessageDigest r = sha512();
        for (int i = 0; i < rounds; i++) {
            r.reset();
            if ((i & 1) != 0) {
                r.update(pSeq);
            } else {
                r.update(c);
            }
            if (i % 3 != 0) {
                r.update(sSeq);
            }
            if (i % 7 != 0) {
                r.update(pSeq);
            }
            if ((i & 1) != 0) {
                r.update(c);
            } else {
                r.update(pSeq);
            }
            c = r.digest();
        }
        Arrays.fill(pSeq, (byte) 0);
        Arrays.fill(dpSum, (byte) 0);

        StringBuilder out = new StringBuilder(PREFIX);
        if (customRounds) {
            out.append(ROUNDS).append(rounds).append('$');
        }
        out.append(saltText).append('$');
        for (int[] o : ORDER) {
            b64(out, c[o[0]], c[o[1]], c[o[2]], 4);
        }
        b64(out, (byte) 0, (byte) 0, c[63], 2);
        return out.toString();
    }

    private static void b64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xFF) << 16) | ((b1 & 0xFF) << 8) | (b0 & 0xFF);
        for (int i = 0; i < n; i++) {
            out.append(ITOA64[w & 0x3F]);
            w >>>= 6;
        }
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-512", e);
        }
    }
}
