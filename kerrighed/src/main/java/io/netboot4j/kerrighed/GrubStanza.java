package io.netboot4j.kerrighed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A GRUB legacy {@code menu.lst} stanza, as the guide's section 2.1 adds for the
 * Kerrighed kernel:
 *
 * <pre>
 * title           Ubuntu 8.04.3 LTS, kernel 2.6.20 + Kerrighed 2.4.1
 * root            (hd0,0)
 * kernel          /boot/vmlinuz-2.6.20-krg root=/dev/sda1 ro quiet splash session_id=1 node_id=1
 * </pre>
 *
 * @param title the menu entry's title
 * @param root GRUB's root device, for example {@code (hd0,0)}
 * @param kernel the kernel's path on that device
 * @param arguments the kernel arguments
 * @param initrd the initrd's path, if any
 */
public record GrubStanza(String title, String root, String kernel, List<String> arguments, Optional<String> initrd) {

    /** The guide's title. */
    public static final String GUIDE_TITLE = "Ubuntu 8.04.3 LTS, kernel 2.6.20 + Kerrighed 2.4.1";
    /** The guide's kernel path inside the root filesystem. */
    public static final String GUIDE_KERNEL = "/boot/vmlinuz-2.6.20-krg";

    /** @throws IllegalArgumentException if a part is empty or contains a line break */
    public GrubStanza {
        title = text(title, "title");
        root = text(root, "root");
        kernel = text(kernel, "kernel");
        arguments = List.copyOf(arguments);
        for (String a : arguments) {
            if (a.isBlank() || a.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("GRUB kernel argument '" + a + "' is empty or has a control character");
            }
        }
        initrd = initrd.map(i -> text(i, "initrd"));
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank() || value.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("GRUB " + what + " '" + value + "' is empty or has a control character");
        }
        return value.strip();
    }

    /**
     * The guide's stanza for one node: title {@value #GUIDE_TITLE}, root {@code (hd0,0)},
     * kernel {@value #GUIDE_KERNEL} with {@code root=/dev/sda1 ro quiet splash} and the
     * Kerrighed arguments.
     *
     * @param kerrighed gives {@code session_id}
     * @param nodeId the node id ({@code node_id}); the guide's stanza uses 1
     */
    public static GrubStanza guide(Kerrighed kerrighed, int nodeId) {
        List<String> args = new ArrayList<>(List.of("root=/dev/sda1", "ro", "quiet", "splash"));
        args.add("session_id=" + kerrighed.sessionId());
        args.add("node_id=" + nodeId);
        return new GrubStanza(GUIDE_TITLE, "(hd0,0)", GUIDE_KERNEL, args, Optional.empty());
    }

    /** The stanza's text: one keyword per line, padded to column 17 as the guide writes it, ending with a newline. */
    public String render() {
        StringBuilder b = new StringBuilder();
        line(b, "title", title);
        line(b, "root", root);
        line(b, "kernel", arguments.isEmpty() ? kernel : kernel + " " + String.join(" ", arguments));
        initrd.ifPresent(i -> line(b, "initrd", i));
        return b.toString();
    }

    private static void line(StringBuilder b, String keyword, String value) {
        b.append(keyword).append(" ".repeat(Math.max(1, 16 - keyword.length()))).append(value).append('\n');
    }

    /**
     * {@code menuLst} with this stanza appended, unless a stanza with the same title is
     * already there (then it is replaced), so that adding it twice changes nothing.
     */
    public String addTo(String menuLst) {
        List<String> lines = new ArrayList<>(menuLst.isEmpty() ? List.of() : List.of(menuLst.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("title") && l.substring(5).strip().equals(title)) {
                start = i;
                break;
            }
        }
        List<String> stanza = List.of(render().split("\n"));
        if (start < 0) {
            if (!lines.isEmpty() && !lines.getLast().isBlank()) {
                lines.add("");
            }
            lines.addAll(stanza);
        } else {
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).strip().startsWith("title") && !lines.get(end).isBlank()) {
                end++;
            }
            lines.subList(start, end).clear();
            lines.addAll(start, stanza);
        }
        return String.join("\n", lines) + "\n";
    }
}
