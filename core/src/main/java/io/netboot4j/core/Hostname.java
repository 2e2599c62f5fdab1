package io.netboot4j.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name per RFC 1123 section 2.1: dot-separated labels of 1–63 letters, digits
 * and hyphens, not starting or ending with a hyphen, 253 characters at most. Names
 * compare case-insensitively and print in lower case.
 *
 * @param value the lower-case name
 */
public record Hostname(String value) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** @throws IllegalArgumentException naming the value and the broken rule */
    public Hostname {
        value = check(value);
    }

    /** Parses a host name; see the class description for the rules. */
    public static Hostname parse(String text) {
        return new Hostname(text);
    }

    /** Whether {@code text} is a valid RFC 1123 host name. */
    public static boolean isValid(String text) {
        try {
            check(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String check(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("host name must not be empty");
        }
        if (text.length() > 253) {
            throw new IllegalArgumentException("host name '" + text + "' is longer than 253 characters");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String label : lower.split("\\.", -1)) {
            if (label.length() > 63) {
                throw new IllegalArgumentException("host name '" + text + "' has a label longer than 63 characters");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("host name '" + text + "' is not valid per RFC 1123: label '" + label
                        + "' must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
        return lower;
    }

    /** The first label, for example {@code kerrighednode1} of {@code kerrighednode1.kerrighed}. */
    public String shortName() {
        int dot = value.indexOf('.');
        return dot < 0 ? value : value.substring(0, dot);
    }

    @Override
    public String toString() {
        return value;
    }
}
