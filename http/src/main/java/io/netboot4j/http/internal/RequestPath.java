package io.netboot4j.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The name of the boot-tree file a request target asks for, confined as the TFTP server
 * confines names: the query is dropped, percent-escapes are decoded (UTF-8), and the result
 * must be a relative name without empty, {@code .} or {@code ..} components, backslash, or
 * control character. An escaped {@code /} ({@code %2F}) is refused, as is anything that is
 * not origin-form ({@code /a/b}) or absolute-form ({@code http://host/a/b}).
 */
public final class RequestPath {

    private RequestPath() {
    }

    /** Why a target was refused. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The tree name of {@code target}, for example {@code pxelinux.cfg/default} for
     * {@code /pxelinux.cfg/default?x=1}.
     *
     * @throws Refused saying why the target cannot name a file of the tree
     */
    public static String name(String target) throws Refused {
        String t = target;
        if (t.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = t.indexOf('/', 7);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        if (!t.startsWith("/")) {
            throw new Refused("target is not a path");
        }
        int cut = indexOfAny(t, '?', '#');
        if (cut >= 0) {
            t = t.substring(0, cut);
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) <= 0x20 || t.charAt(i) >= 0x7F) {
                throw new Refused("space, control or non-ASCII character in the target");
            }
        }
        String decoded = decode(t.substring(1));
        if (decoded.isEmpty()) {
            throw new Refused("no file named");
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\\') {
                throw new Refused("control character or backslash in the name");
            }
        }
        for (String part : decoded.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new Refused("empty, '.' or '..' component in '" + decoded + "'");
            }
        }
        return decoded;
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(String s) throws Refused {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 2 >= s.length()) {
                throw new Refused("truncated percent-escape");
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new Refused("malformed percent-escape");
            }
            int b = hi << 4 | lo;
            if (b == '/') {
                throw new Refused("escaped '/' in the target");
            }
            out.write(b);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("escapes are not UTF-8");
        }
    }
}
