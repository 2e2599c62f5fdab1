package io.netboot4j.kerrighed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel's {@code .config}, read: each symbol's value ({@code y}, {@code m}, a number or a
 * quoted string), and {@code n} for symbols written {@code # CONFIG_X is not set}. Symbols
 * are named without the {@code CONFIG_} prefix.
 *
 * @param values the symbols' values, in file order
 */
public record KernelConfig(Map<String, String> values) {

    private static final Pattern SET = Pattern.compile("^CONFIG_([A-Za-z0-9_]+)=(.*)$");
    private static final Pattern NOT_SET = Pattern.compile("^# CONFIG_([A-Za-z0-9_]+) is not set$");

    /** Copies the map. */
    public KernelConfig {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses the text of a {@code .config}; other lines (comments) are ignored. */
    public static KernelConfig parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            Matcher m = SET.matcher(l);
            if (m.matches()) {
                values.put(m.group(1), m.group(2));
                continue;
            }
            m = NOT_SET.matcher(l);
            if (m.matches()) {
                values.put(m.group(1), "n");
            }
        }
        return new KernelConfig(values);
    }

    /** Reads and parses a {@code .config} file (for example {@code /boot/config-6.1.0-13-amd64}). */
    public static KernelConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /** The value of {@code symbol} (without {@code CONFIG_}), if the file mentions it ({@code n} if "is not set"). */
    public Optional<String> value(String symbol) {
        return Optional.ofNullable(values.get(symbol));
    }
}
