package io.netboot4j.kerrighed.internal;

import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.kerrighed.SourceArchive;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A folder of source archives, each checked against its pinned SHA-256. Pins come from the
 * archive or from a {@code SHA256SUMS} file in the folder ({@code sha256sum} format).
 */
public final class SourceCache {

    /** The file of pins in the cache folder. */
    public static final String SUMS = "SHA256SUMS";

    private final Path folder;

    /** @param folder the cache folder */
    public SourceCache(Path folder) {
        this.folder = folder;
    }

    /** The cache folder. */
    public Path folder() {
        return folder;
    }

    /** The pin of {@code archive}: its own, else the line for its name in {@code SHA256SUMS}. */
    public Optional<String> pin(SourceArchive archive) throws IOException {
        if (archive.sha256().isPresent()) {
            return archive.sha256();
        }
        Path sums = folder.resolve(SUMS);
        if (!Files.exists(sums)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split("\\s+", 2);
            if (f.length == 2 && f[1].replaceFirst("^\\*", "").equals(archive.fileName())) {
                return Optional.of(f[0].toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    /**
     * The archive in the cache, fetched first if it is missing or does not match its pin.
     *
     * @throws IOException naming the archive: no pin (with the SHA-256 found, to check and pin),
     *     a mismatch (pinned and found), or a fetch failure
     */
    public Path fetch(SourceArchive archive) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path target = folder.resolve(archive.fileName());
        Optional<String> pin = pin(archive);
        if (Files.exists(target)) {
            String have = sha256(target);
            if (pin.isEmpty()) {
                throw new IOException(archive.fileName() + " has no SHA-256 pin; the cached copy's SHA-256 is " + have
                        + ": check it against a trusted source, then pin it (SourceArchive.pinned or a line in " + folder.resolve(SUMS) + ")");
            }
            if (have.equals(pin.get())) {
                return target;
            }
        }
        Path tmp = Files.createTempFile(folder, "." + archive.fileName(), ".part");
        try {
            download(archive.uri(), tmp);
            String got = sha256(tmp);
            if (pin.isEmpty()) {
                throw new IOException(archive.fileName() + " has no SHA-256 pin; the file fetched from " + archive.uri()
                        + " has SHA-256 " + got + ": check it against a trusted source, then pin it (SourceArchive.pinned or a line in "
                        + folder.resolve(SUMS) + ")");
            }
            if (!got.equals(pin.get())) {
                throw new IOException("SHA-256 mismatch for " + archive.fileName() + " fetched from " + archive.uri() + ": pinned "
                        + pin.get() + ", got " + got);
            }
            AtomicFiles.move(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void download(URI uri, Path into) throws IOException, InterruptedException {
        if (uri.getScheme().equalsIgnoreCase("file")) {
            try (InputStream in = Files.newInputStream(Path.of(uri))) {
                Files.copy(in, into, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new IOException("cannot fetch " + uri + ": " + e, e);
            }
            return;
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<Path> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(into));
            if (r.statusCode() != 200) {
                throw new IOException("cannot fetch " + uri + ": HTTP status " + r.statusCode());
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot fetch")) {
                throw e;
            }
            throw new IOException("cannot fetch " + uri + ": " + e, e);
        }
    }

    /** The SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
