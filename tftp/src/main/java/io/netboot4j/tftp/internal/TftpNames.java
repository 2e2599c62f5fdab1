package io.netboot4j.tftp.internal;

import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a requested file name before any source sees it, as {@code tftpd-hpa -s} confines
 * clients to its root.
 */
public final class TftpNames {

    private TftpNames() {
    }

    /**
     * A checked name.
     *
     * @param name the relative name, components joined by {@code /}
     * @param absolute whether the client asked with a leading {@code /}
     */
    public record Checked(String name, boolean absolute) {
    }

    /**
     * Checks {@code requested}: backslashes count as separators (Windows boot loaders send
     * them, dnsmasq accepts them too); empty and {@code .} components are dropped; a
     * {@code ..} component, a control character (NUL included) or an empty name is refused.
     * A leading {@code /} is remembered: the server reads such a name relative to its root, as
     * {@code tftpd-hpa -s} does, and refuses it if nothing is there.
     *
     * @throws AccessDeniedException saying which rule the name breaks
     */
    public static Checked check(String requested) throws AccessDeniedException {
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new AccessDeniedException(printable(requested), null, "control character in file name");
            }
        }
        String s = requested.replace('\\', '/');
        boolean absolute = s.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : s.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new AccessDeniedException(requested, null, "'..' in file name");
            }
            parts.add(p);
        }
        if (parts.isEmpty()) {
            throw new AccessDeniedException(printable(requested), null, "no file name");
        }
        return new Checked(String.join("/", parts), absolute);
    }

    /** {@code text} with control characters shown as {@code ?}, for messages and logs. */
    public static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }
}
