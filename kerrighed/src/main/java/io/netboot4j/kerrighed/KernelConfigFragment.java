package io.netboot4j.kerrighed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kernel configuration settings a diskless node's kernel needs, as a value: symbols
 * (without {@code CONFIG_}) and the value each must have, usually {@code y}.
 *
 * <p>The guide (section 2.1) asks for the network card drivers, the NFS client with NFSv3,
 * root on NFS and IP auto-configuration to be built in ({@code *} in menuconfig, never
 * {@code M}): a node has no disk to load modules from before its root is mounted. It also
 * needs configfs for Kerrighed. {@link #check(KernelConfig)} reports every symbol of the
 * fragment that a built {@code .config} does not have as asked, by name.
 *
 * @param settings symbol to value: {@code y}, {@code m}, {@code n}, a number, or a double-quoted string
 */
public record KernelConfigFragment(Map<String, String> settings) {

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern VALUE = Pattern.compile("[ymn]|-?[0-9]+|0x[0-9a-fA-F]+|\"([^\"\\\\]|\\\\.)*\"");

    /** @throws IllegalArgumentException naming a symbol or value that is not well formed */
    public KernelConfigFragment {
        Map<String, String> copy = new LinkedHashMap<>();
        settings.forEach((symbol, value) -> {
            String s = symbol.startsWith("CONFIG_") ? symbol.substring("CONFIG_".length()) : symbol;
            if (!SYMBOL.matcher(s).matches()) {
                throw new IllegalArgumentException("kernel config symbol '" + symbol + "' is not a symbol name");
            }
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("kernel config value '" + value + "' of " + s
                        + " must be y, m, n, a number or a double-quoted string");
            }
            copy.put(s, value);
        });
        settings = java.util.Collections.unmodifiableMap(copy);
    }

    /** A fragment that builds every one of {@code symbols} in ({@code =y}). */
    public static KernelConfigFragment builtIn(String... symbols) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : symbols) {
            m.put(s, "y");
        }
        return new KernelConfigFragment(m);
    }

    /**
     * The guide's requirements under the names of the Linux 2.6.20 that Kerrighed 2.4.1
     * patches: Intel PRO/1000 ({@code E1000}) and RealTek 8139 ({@code 8139CP},
     * {@code 8139TOO}) drivers, {@code NFS_FS}, {@code NFS_V3}, {@code ROOT_NFS},
     * {@code IP_PNP}, {@code IP_PNP_DHCP} and {@code CONFIGFS_FS}, all {@code =y}.
     * (2.6.20 predates virtio networking.)
     */
    public static KernelConfigFragment kerrighedGuide() {
        return builtIn("E1000", "8139CP", "8139TOO", "NFS_FS", "NFS_V3", "ROOT_NFS", "IP_PNP", "IP_PNP_DHCP", "CONFIGFS_FS");
    }

    /**
     * The guide's requirements for a current kernel: the menus that hold the drivers
     * ({@code NETDEVICES}, {@code ETHERNET}, {@code NET_VENDOR_INTEL}, {@code NET_VENDOR_REALTEK},
     * {@code VIRTIO}, {@code NETWORK_FILESYSTEMS}), the drivers of the cards QEMU and most
     * machines have ({@code E1000}, {@code 8139CP}, {@code 8139TOO}, {@code VIRTIO_PCI},
     * {@code VIRTIO_NET}), {@code NFS_FS}, {@code NFS_V3}, {@code ROOT_NFS}, {@code IP_PNP},
     * {@code IP_PNP_DHCP} and {@code CONFIGFS_FS}, all {@code =y}.
     */
    public static KernelConfigFragment nfsRoot() {
        return builtIn("NETDEVICES", "ETHERNET", "NET_VENDOR_INTEL", "E1000", "NET_VENDOR_REALTEK", "8139CP", "8139TOO",
                "VIRTIO", "VIRTIO_PCI", "VIRTIO_NET", "NETWORK_FILESYSTEMS", "NFS_FS", "NFS_V3", "ROOT_NFS", "IP_PNP",
                "IP_PNP_DHCP", "CONFIGFS_FS");
    }

    /** This fragment with {@code other}'s settings added (and winning where both set a symbol). */
    public KernelConfigFragment plus(KernelConfigFragment other) {
        Map<String, String> m = new LinkedHashMap<>(settings);
        m.putAll(other.settings);
        return new KernelConfigFragment(m);
    }

    /** This fragment with one more setting. */
    public KernelConfigFragment with(String symbol, String value) {
        Map<String, String> m = new LinkedHashMap<>(settings);
        m.put(symbol, value);
        return new KernelConfigFragment(m);
    }

    /**
     * The text of a {@code .config} with this fragment applied: each symbol's line
     * ({@code CONFIG_X=...} or {@code # CONFIG_X is not set}) replaced in place, symbols not
     * yet there appended. What menuconfig would save, without resolving dependencies:
     * run the kernel's {@code oldconfig} afterwards, then {@link #check(KernelConfig)}.
     */
    public String applyTo(String dotConfig) {
        Set<String> pending = new LinkedHashSet<>(settings.keySet());
        List<String> out = new ArrayList<>();
        for (String line : dotConfig.split("\n", -1)) {
            String symbol = symbolOf(line.strip());
            if (symbol != null && settings.containsKey(symbol)) {
                if (pending.remove(symbol)) {
                    out.add(line(symbol, settings.get(symbol)));
                }
                continue;
            }
            out.add(line);
        }
        if (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        for (String symbol : pending) {
            out.add(line(symbol, settings.get(symbol)));
        }
        return String.join("\n", out) + "\n";
    }

    private static String symbolOf(String line) {
        if (line.startsWith("CONFIG_") && line.indexOf('=') > 0) {
            return line.substring("CONFIG_".length(), line.indexOf('='));
        }
        if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
            return line.substring("# CONFIG_".length(), line.length() - " is not set".length());
        }
        return null;
    }

    private static String line(String symbol, String value) {
        return value.equals("n") ? "# CONFIG_" + symbol + " is not set" : "CONFIG_" + symbol + "=" + value;
    }

    /**
     * The {@code scripts/config} arguments that apply this fragment to a Linux tree's
     * {@code .config}: {@code --enable X}, {@code --module X}, {@code --disable X},
     * {@code --set-val X v} or {@code --set-str X s}.
     */
    public List<String> scriptsConfigArguments() {
        List<String> args = new ArrayList<>();
        settings.forEach((symbol, value) -> {
            switch (value) {
                case "y" -> args.addAll(List.of("--enable", symbol));
                case "m" -> args.addAll(List.of("--module", symbol));
                case "n" -> args.addAll(List.of("--disable", symbol));
                default -> {
                    if (value.startsWith("\"")) {
                        args.addAll(List.of("--set-str", symbol, value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1")));
                    } else {
                        args.addAll(List.of("--set-val", symbol, value));
                    }
                }
            }
        });
        return args;
    }

    /**
     * Compares a built configuration with this fragment.
     *
     * @return one mismatch per symbol that is not as asked, in fragment order: a module
     *     ({@code =m}) where built-in was asked, unset, or another value
     */
    public List<Mismatch> check(KernelConfig config) {
        List<Mismatch> out = new ArrayList<>();
        settings.forEach((symbol, wanted) -> {
            String actual = config.value(symbol).orElse("n");
            boolean ok = wanted.equals("n") ? actual.equals("n") : actual.equals(wanted);
            if (!ok) {
                out.add(new Mismatch(symbol, wanted, config.value(symbol).isPresent() ? actual : "unset"));
            }
        });
        return List.copyOf(out);
    }

    /**
     * Reads the kernel configuration {@code config} and checks it against this fragment.
     *
     * @throws java.io.IOException if it cannot be read, or naming every mismatch if it lacks
     *     what the fragment asks for
     */
    public void requireIn(java.nio.file.Path config) throws java.io.IOException {
        List<Mismatch> bad = check(KernelConfig.read(config));
        if (!bad.isEmpty()) {
            throw new java.io.IOException(config + " lacks what a diskless node needs: "
                    + String.join("; ", bad.stream().map(Object::toString).toList())
                    + " (enable what they depend on, or adjust the fragment)");
        }
    }

    /**
     * One symbol of a fragment that a configuration does not have as asked.
     *
     * @param symbol the symbol, without {@code CONFIG_}
     * @param wanted the value the fragment asks for
     * @param actual the configuration's value: {@code m}, {@code n} (written "is not set"),
     *     {@code unset} (not mentioned at all, usually because a dependency is off), or another value
     */
    public record Mismatch(String symbol, String wanted, String actual) {

        /** Whether the symbol is a module where it should be built in. */
        public boolean isModule() {
            return actual.equals("m");
        }

        /** For example {@code CONFIG_NFS_FS=m, must be =y (built in, not a module)}. */
        @Override
        public String toString() {
            String is = switch (actual) {
                case "unset" -> "CONFIG_" + symbol + " is unset";
                case "n" -> "CONFIG_" + symbol + " is not set";
                default -> "CONFIG_" + symbol + "=" + actual;
            };
            return is + ", must be =" + wanted + (wanted.equals("y") ? " (built in, not a module)" : "");
        }
    }
}
