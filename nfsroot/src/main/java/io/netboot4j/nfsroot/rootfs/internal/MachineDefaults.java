package io.netboot4j.nfsroot.rootfs.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the machine itself suggests for a root build: its release ({@code /etc/os-release}),
 * its architecture ({@code dpkg --print-architecture}) and its mirror (the apt sources,
 * one-line {@code sources.list} or deb822 {@code *.sources}). The parsers are pure functions
 * of text; {@link #detect()} reads the files.
 *
 * @param distribution {@code debian} or {@code ubuntu} (os-release {@code ID}); {@code debian} otherwise
 * @param suite the release's code name, for example {@code bookworm}
 * @param architecture the Debian architecture, for example {@code amd64}
 * @param mirror the mirror the machine uses for that release
 * @param securityMirror the mirror the machine uses for {@code <suite>-security}
 */
public record MachineDefaults(String distribution, String suite, String architecture, URI mirror, URI securityMirror) {

    private static final Logger LOG = LoggerFactory.getLogger(MachineDefaults.class);

    /** The suite when the machine names none (it is not Debian or Ubuntu). */
    public static final String FALLBACK_SUITE = "bookworm";
    /** Debian's redirector, the mirror when the machine's apt sources name none. */
    public static final URI DEBIAN_MIRROR = URI.create("http://deb.debian.org/debian");
    /** Debian's security archive. */
    public static final URI DEBIAN_SECURITY = URI.create("http://deb.debian.org/debian-security");
    /** Ubuntu's archive (the guide's mirror). */
    public static final URI UBUNTU_MIRROR = URI.create("http://archive.ubuntu.com/ubuntu/");
    /** Ubuntu's security archive (the guide's). */
    public static final URI UBUNTU_SECURITY = URI.create("http://security.ubuntu.com/ubuntu/");

    private static volatile MachineDefaults detected;

    /** The machine's defaults, read once. */
    public static MachineDefaults detect() {
        MachineDefaults d = detected;
        if (d == null) {
            d = read(Path.of("/etc/os-release"), Path.of("/etc/apt"));
            detected = d;
        }
        return d;
    }

    static MachineDefaults read(Path osRelease, Path aptFolder) {
        Map<String, String> os = Map.of();
        try {
            if (Files.isRegularFile(osRelease)) {
                os = parseOsRelease(Files.readString(osRelease, StandardCharsets.UTF_8));
            } else if (Files.isRegularFile(Path.of("/usr/lib/os-release"))) {
                os = parseOsRelease(Files.readString(Path.of("/usr/lib/os-release"), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; using {}", osRelease, e.getMessage(), FALLBACK_SUITE);
        }
        List<AptSource> sources = new ArrayList<>();
        try {
            sources.addAll(readAptSources(aptFolder));
        } catch (IOException e) {
            LOG.warn("cannot read the apt sources in {}: {}", aptFolder, e.getMessage());
        }
        return from(os, sources, dpkgArchitecture());
    }

    /** The defaults from an os-release map, the machine's apt sources and its architecture. */
    public static MachineDefaults from(Map<String, String> osRelease, List<AptSource> sources, String architecture) {
        String id = osRelease.getOrDefault("ID", "");
        String like = osRelease.getOrDefault("ID_LIKE", "");
        String distribution = id.equals("ubuntu") || like.contains("ubuntu") ? "ubuntu" : "debian";
        boolean debianLike = id.equals("debian") || id.equals("ubuntu") || like.contains("debian") || like.contains("ubuntu");
        String suite = debianLike ? osRelease.getOrDefault("VERSION_CODENAME",
                osRelease.getOrDefault("UBUNTU_CODENAME", "")) : "";
        if (suite.isEmpty()) {
            suite = FALLBACK_SUITE;
            distribution = "debian";
        }
        URI defaultMirror = distribution.equals("ubuntu") ? UBUNTU_MIRROR : DEBIAN_MIRROR;
        URI defaultSecurity = distribution.equals("ubuntu") ? UBUNTU_SECURITY : DEBIAN_SECURITY;
        String s = suite;
        URI mirror = sources.stream().filter(a -> a.suites().contains(s)).map(AptSource::uri).findFirst().orElse(defaultMirror);
        URI security = sources.stream().filter(a -> a.suites().contains(s + "-security") || a.suites().contains(s + "/updates"))
                .map(AptSource::uri).findFirst().orElse(defaultSecurity);
        return new MachineDefaults(distribution, suite, architecture, mirror, security);
    }

    /** Parses {@code os-release(5)}: {@code KEY=value} lines, values optionally quoted. */
    public static Map<String, String> parseOsRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }

    /**
     * One binary ({@code deb}) source the machine uses.
     *
     * @param uri the mirror
     * @param suites its suites
     * @param components its components
     */
    public record AptSource(URI uri, List<String> suites, List<String> components) {
    }

    /** Every enabled {@code deb} source in {@code sources.list} and {@code sources.list.d/*.list|*.sources}. */
    public static List<AptSource> readAptSources(Path aptFolder) throws IOException {
        List<AptSource> out = new ArrayList<>();
        Path list = aptFolder.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            out.addAll(parseOneLineSources(Files.readString(list, StandardCharsets.UTF_8)));
        }
        Path d = aptFolder.resolve("sources.list.d");
        if (Files.isDirectory(d)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(d)) {
                files = s.sorted().toList();
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".list")) {
                    out.addAll(parseOneLineSources(Files.readString(f, StandardCharsets.UTF_8)));
                } else if (name.endsWith(".sources")) {
                    out.addAll(parseDeb822Sources(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    /** Parses one-line style: {@code deb [options] uri suite component...}; {@code deb-src} and comments are skipped. */
    public static List<AptSource> parseOneLineSources(String text) {
        List<AptSource> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) {
                continue;
            }
            line = line.substring(3).strip();
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) {
                    continue;
                }
                line = line.substring(close + 1).strip();
            }
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            uri(f[0]).ifPresent(u -> out.add(new AptSource(u, List.of(f[1]), List.of(Arrays.copyOfRange(f, 2, f.length)))));
        }
        return out;
    }

    /** Parses deb822 style ({@code sources.list(5)}): paragraphs of {@code Types}, {@code URIs}, {@code Suites}, {@code Components}. */
    public static List<AptSource> parseDeb822Sources(String text) {
        List<AptSource> out = new ArrayList<>();
        for (String paragraph : text.split("\n\\s*\n")) {
            Map<String, String> fields = new LinkedHashMap<>();
            String last = null;
            for (String line : paragraph.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                    fields.merge(last, " " + line.strip(), String::concat);
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    fields.put(last, line.substring(colon + 1).strip());
                }
            }
            if (!words(fields.get("types")).contains("deb") || fields.getOrDefault("enabled", "yes").equalsIgnoreCase("no")) {
                continue;
            }
            List<String> suites = words(fields.get("suites"));
            List<String> components = words(fields.get("components"));
            for (String u : words(fields.get("uris"))) {
                uri(u).ifPresent(x -> out.add(new AptSource(x, suites, components)));
            }
        }
        return out;
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    private static Optional<URI> uri(String text) {
        try {
            URI u = URI.create(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            return scheme.equals("http") || scheme.equals("https") || scheme.equals("file") || scheme.equals("ftp")
                    ? Optional.of(u) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code dpkg --print-architecture}, or the JVM's architecture in Debian's words if dpkg is missing. */
    static String dpkgArchitecture() {
        try {
            List<String> lines = new ArrayList<>();
            var r = ExternalCommand.of("dpkg", "--print-architecture").stdout(lines::add).run();
            if (r.exitCode() == 0 && !lines.isEmpty() && !lines.getFirst().isBlank()) {
                return lines.getFirst().strip();
            }
        } catch (IOException e) {
            LOG.debug("dpkg is not available: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return switch (System.getProperty("os.arch", "")) {
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "i386";
            case "ppc64le" -> "ppc64el";
            case "riscv64" -> "riscv64";
            default -> "amd64";
        };
    }
}
