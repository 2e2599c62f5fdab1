package io.netboot4j.kerrighed;

import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A source archive a build fetches, with the SHA-256 it must have.
 *
 * @param fileName the archive's file name, for example {@code kerrighed-2.4.1.tar.gz}
 * @param uri where to fetch it ({@code http}, {@code https} or {@code file})
 * @param sha256 the pinned SHA-256, 64 hex digits in lower case, if pinned
 */
public record SourceArchive(String fileName, URI uri, Optional<String> sha256) {

    /** The guide's Kerrighed source (INRIA's GForge, gone since 2020). */
    public static final SourceArchive KERRIGHED_2_4_1 = new SourceArchive("kerrighed-2.4.1.tar.gz",
            URI.create("http://gforge.inria.fr/frs/download.php/23356/kerrighed-2.4.1.tar.gz"), Optional.empty());
    /** The guide's Linux 2.6.20 source. */
    public static final SourceArchive LINUX_2_6_20 = new SourceArchive("linux-2.6.20.tar.bz2",
            URI.create("http://www.kernel.org/pub/linux/kernel/v2.6/linux-2.6.20.tar.bz2"), Optional.empty());

    /** @throws IllegalArgumentException if the name has a slash, the scheme is unsupported or the SHA-256 is malformed */
    public SourceArchive {
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("archive file name '" + fileName + "' must be a plain file name");
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("archive URI '" + uri + "' must be http, https or file");
        }
        sha256 = sha256.map(s -> s.strip().toLowerCase(Locale.ROOT));
        sha256.ifPresent(s -> {
            if (s.length() != 64 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("SHA-256 '" + s + "' of " + fileName + " must be 64 hex digits");
            }
        });
    }

    /** The same archive pinned to {@code sha256}. */
    public SourceArchive pinned(String sha256) {
        return new SourceArchive(fileName, uri, Optional.of(sha256));
    }

    /** The same archive fetched from {@code uri}. */
    public SourceArchive from(URI uri) {
        return new SourceArchive(fileName, uri, sha256);
    }

    /** Lower-case hex of {@code digest}. */
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
