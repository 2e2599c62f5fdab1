package io.netboot4j.http.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in. */
public final class HttpDates {

    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}, whole seconds. */
    public static String format(Instant t) {
        return IMF.format(t);
    }

    /** The instant of an HTTP date in any of the three forms; empty if it is none of them. */
    public static Optional<Instant> parse(String text) {
        String s = text.strip();
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF, RFC850, ASCTIME}) {
            try {
                return Optional.of(ZonedDateTime.parse(s, f).toInstant());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
