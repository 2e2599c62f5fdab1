package io.netboot4j.http.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP dates (RFC 9110 section 5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in.
 * The day name is not checked against the date (a sender's wrong weekday does not void it).
 */
public final class HttpDates {

    private static final DateTimeFormatter IMF_OUT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    /** Two-digit years from 1970 on (RFC 9110: a year more than 50 years ahead is in the past). */
    private static final DateTimeFormatter RFC850 = new DateTimeFormatterBuilder().appendPattern("dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ROOT);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private HttpDates() {
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}, whole seconds. */
    public static String format(Instant t) {
        return IMF_OUT.format(t);
    }

    /** The instant of an HTTP date in any of the three forms; empty if it is none of them. */
    public static Optional<Instant> parse(String text) {
        String s = text.strip();
        int comma = s.indexOf(", ");
        int space = s.indexOf(' ');
        String afterComma = comma < 0 ? "" : s.substring(comma + 2);
        String afterDay = space < 0 ? "" : s.substring(space + 1);
        for (var attempt : List.of(Map.entry(afterComma, IMF), Map.entry(afterComma, RFC850), Map.entry(afterDay, ASCTIME))) {
            try {
                return Optional.of(LocalDateTime.parse(attempt.getKey(), attempt.getValue()).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }
}
