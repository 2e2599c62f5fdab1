package io.netboot4j.http.internal;

import java.time.Instant;
import java.util.Optional;

/**
 * The conditional requests a static file server answers (RFC 9110 section 13):
 * {@code If-None-Match} (weak comparison), else {@code If-Modified-Since}, for 304; and
 * {@code If-Range} (strong comparison, or an exact date), which decides whether a
 * {@code Range} applies.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /** Whether a GET or HEAD of {@code file} is answered 304 Not Modified. */
    public static boolean notModified(RequestHead req, ServedFile file) {
        Optional<String> inm = req.field("if-none-match");
        if (inm.isPresent()) {
            return matchesAny(inm.get(), file.etag());
        }
        Optional<Instant> ims = req.field("if-modified-since").flatMap(HttpDates::parse);
        return ims.isPresent() && !file.lastModified().isAfter(ims.get());
    }

    /** Whether the request's {@code Range} is to be honoured: no {@code If-Range}, or one that still matches. */
    public static boolean rangeApplies(RequestHead req, ServedFile file) {
        Optional<String> ifRange = req.field("if-range");
        if (ifRange.isEmpty()) {
            return true;
        }
        String v = ifRange.get().strip();
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return !v.startsWith("W/") && v.equals(file.etag());
        }
        return HttpDates.parse(v).map(d -> d.equals(file.lastModified())).orElse(false);
    }

    /** Weak comparison: {@code W/"x"} matches {@code "x"}. */
    private static boolean matchesAny(String list, String etag) {
        if (list.strip().equals("*")) {
            return true;
        }
        for (String t : list.split(",")) {
            String tag = t.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
