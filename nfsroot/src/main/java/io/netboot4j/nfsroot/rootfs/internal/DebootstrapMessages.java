package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.spi.BuildListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Reads debootstrap's {@code --debian-installer} messages, one line at a time: {@code P: now
 * end NAME} then {@code PF: phase} is progress; {@code I:}/{@code W:}/{@code E:} with their
 * {@code IA:} arguments and {@code IF:} format are log messages.
 */
public final class DebootstrapMessages {

    /** Messages debootstrap sends once per package; logged at debug level. */
    private static final java.util.Set<String> PER_PACKAGE = java.util.Set.of("RETRIEVING", "VALIDATING", "EXTRACTING",
            "UNPACKING", "CONFIGURING", "CONFIGURING_PACKAGE", "UNPACKING_PACKAGE", "DOWNLOADING");

    private final String step;
    private final BuildListener listener;
    private final Logger log;
    private final List<String> errors = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String name = "";
    private String phase;
    private long now = -1;
    private long end = -1;

    /** Messages of {@code step}, progress to {@code listener}, messages to {@code log}. */
    public DebootstrapMessages(String step, BuildListener listener, Logger log) {
        this.step = step;
        this.listener = listener;
        this.log = log;
    }

    /** Takes one line of file descriptor 3. */
    public synchronized void accept(String line) {
        if (line.length() < 2 || line.indexOf(':') < 1) {
            if (!line.isBlank()) {
                log.info("{}", line);
            }
            return;
        }
        String tag = line.substring(0, line.indexOf(':'));
        String value = line.substring(line.indexOf(':') + 1).strip();
        switch (tag) {
            case "P" -> {
                args.clear();
                String[] f = value.split("\\s+");
                now = f.length > 0 ? number(f[0]) : -1;
                end = f.length > 1 ? number(f[1]) : -1;
            }
            case "I", "W", "E" -> {
                args.clear();
                name = value;
            }
            case "IA", "WA", "EA", "PA" -> args.add(value);
            case "PF" -> {
                phase = format(value);
                report(phase);
            }
            case "IF" -> {
                if (PER_PACKAGE.contains(name)) {
                    log.debug("{}", format(value)); // the listener gets these as progress
                    if (phase != null && !args.isEmpty()) {
                        report(phase + ": " + args.getFirst());
                    }
                } else {
                    log.info("{}", format(value));
                }
            }
            case "WF" -> log.warn("{}", format(value));
            case "EF" -> {
                String msg = format(value);
                errors.add(msg);
                log.error("{}", msg);
            }
            default -> log.info("{}", line);
        }
    }

    private void report(String detail) {
        int total = (int) Math.min(Integer.MAX_VALUE, end);
        int done = (int) Math.min(Integer.MAX_VALUE, now);
        if (end > Integer.MAX_VALUE) {
            done = (int) (now * 1000 / end);
            total = 1000;
        }
        listener.progress(step, done, total, detail);
    }

    /** The error messages seen. */
    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    private String format(String fmt) {
        StringBuilder out = new StringBuilder();
        int a = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char ch = fmt.charAt(i);
            if (ch == '%' && i + 1 < fmt.length()) {
                char k = fmt.charAt(++i);
                if (k == '%') {
                    out.append('%');
                } else {
                    out.append(a < args.size() ? args.get(a++) : "");
                }
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
