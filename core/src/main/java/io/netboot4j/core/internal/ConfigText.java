package io.netboot4j.core.internal;

/**
 * What may be written into a daemon's configuration file: the one check every renderer
 * (dhcpd.conf, Kea's JSON, tftpd-hpa's shell-sourced defaults, exports, ganesha.conf,
 * pxelinux, GRUB and iPXE scripts) relies on. A value that passes holds no quote,
 * backslash, {@code $}, backtick, {@code ;}, brace, {@code #} or control character (newline
 * included), so it can neither end the string or statement it is written into, nor start a
 * comment, a block or a shell or iPXE expansion. Values are rejected, not escaped: each file
 * format escapes differently, and most of these characters are mistakes in a host's path or
 * interface name.
 */
public final class ConfigText {

    private static final String FORBIDDEN = "\"'`\\$;{}#";

    private ConfigText() {
    }

    /**
     * Returns {@code value} if it is safe in every configuration file netboot4j renders.
     *
     * @param what names the value in the message, for example {@code root path}
     * @throws IllegalArgumentException naming the value, the character and why
     */
    public static String requireSafe(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || FORBIDDEN.indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' must not contain "
                        + (c < 0x20 || c == 0x7F ? "a control character (such as a newline)" : "'" + c + "'")
                        + ": it is written into daemon configuration files (quotes, '\\', '$', '`', ';', braces and '#' "
                        + "would end or change what surrounds it)");
            }
        }
        return value;
    }
}
