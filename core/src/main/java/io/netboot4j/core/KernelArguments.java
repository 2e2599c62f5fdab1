package io.netboot4j.core;

import java.util.ArrayList;
import java.util.List;

/** Checks and joins kernel command-line arguments. */
final class KernelArguments {

    private KernelArguments() {
    }

    static List<String> check(List<String> args) {
        if (args == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(args.size());
        for (String a : args) {
            out.addAll(split(a));
        }
        return List.copyOf(out);
    }

    /**
     * Splits one string of white-space separated arguments; rejects control characters and
     * what {@link io.netboot4j.core.internal.ConfigText} rejects (they are written into
     * pxelinux, GRUB and iPXE files, where a quote, '$' or ';' would change the line).
     */
    static List<String> split(String text) {
        if (text == null) {
            throw new IllegalArgumentException("kernel argument must not be null");
        }
        List<String> out = new ArrayList<>();
        for (String a : text.strip().split("\\s+")) {
            if (a.isEmpty()) {
                continue;
            }
            for (int i = 0; i < a.length(); i++) {
                char c = a.charAt(i);
                if (c < 0x20 || c == 0x7F) {
                    throw new IllegalArgumentException("kernel argument '" + a.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
                }
            }
            io.netboot4j.core.internal.ConfigText.requireSafe(a, "kernel argument");
            out.add(a);
        }
        return out;
    }
}
