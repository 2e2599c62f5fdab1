package io.netboot4j.http.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request line and header fields of one HTTP/1.x request (RFC 9112), parsed from the
 * bytes before the empty line. Pure: no sockets.
 *
 * @param method the method, case-sensitive ({@code GET})
 * @param target the request target as sent
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1
 * @param fields header fields by lower-case name; repeated fields joined with {@code ", "}
 */
public record RequestHead(String method, String target, int minorVersion, Map<String, String> fields) {

    /** The most header fields a request may carry. */
    public static final int MAX_FIELDS = 100;

    /** A request that cannot be parsed, with the status to answer. */
    public static final class Malformed extends Exception {
        private final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** 400, or 505 for an HTTP version other than 1.x. */
        public int status() {
            return status;
        }
    }

    /** The value of a field, by case-insensitive name. */
    public Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether the connection stays open after the response: HTTP/1.1 unless
     * {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    public boolean keepAlive() {
        String c = field("connection").orElse("").toLowerCase(Locale.ROOT);
        boolean close = hasToken(c, "close");
        return minorVersion >= 1 ? !close : !close && hasToken(c, "keep-alive");
    }

    /** Whether the request announces a body (which this server never reads). */
    public boolean hasBody() {
        return fields.containsKey("transfer-encoding")
                || field("content-length").map(v -> !v.strip().equals("0")).orElse(false);
    }

    private static boolean hasToken(String list, String token) {
        for (String t : list.split(",")) {
            if (t.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a request head.
     *
     * @param head the bytes up to (not including) the empty line, as ISO-8859-1 text
     * @throws Malformed naming what is wrong
     */
    public static RequestHead parse(String head) throws Malformed {
        String[] lines = head.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isEmpty()) {
            i++; // RFC 9112 section 2.2: ignore empty lines before the request line
        }
        if (i == lines.length) {
            throw new Malformed(400, "no request line");
        }
        String[] parts = lines[i].split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !isToken(parts[0])) {
            throw new Malformed(400, "malformed request line");
        }
        String version = parts[2];
        if (!version.matches("HTTP/\\d\\.\\d")) {
            throw new Malformed(400, "malformed HTTP version");
        }
        if (version.charAt(5) != '1') {
            throw new Malformed(505, "HTTP version " + version + " is not supported");
        }
        for (int k = 0; k < parts[1].length(); k++) {
            char c = parts[1].charAt(k);
            if (c <= 0x20 || c >= 0x7F) {
                throw new Malformed(400, "control or non-ASCII character in the target");
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        int count = 0;
        for (i++; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (++count > MAX_FIELDS) {
                throw new Malformed(400, "more than " + MAX_FIELDS + " header fields");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new Malformed(400, "obsolete line folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Malformed(400, "malformed header field");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            fields.merge(name, value, (a, b) -> a + ", " + b);
        }
        if (version.charAt(7) != '0' && !fields.containsKey("host")) {
            throw new Malformed(400, "HTTP/1.1 request without Host");
        }
        return new RequestHead(parts[0], parts[1], version.charAt(7) - '0', Map.copyOf(fields));
    }

    private static boolean isToken(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            boolean ok = c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
