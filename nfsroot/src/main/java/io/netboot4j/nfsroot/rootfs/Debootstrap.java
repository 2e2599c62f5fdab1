package io.netboot4j.nfsroot.rootfs;

import io.netboot4j.nfsroot.rootfs.internal.MachineDefaults;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@code debootstrap} makes the root filesystem: the guide's
 * {@code debootstrap --arch i386 hardy /nfsroot/kerrighed http://archive.ubuntu.com/ubuntu/}.
 * Made by {@link #builder()}; {@link #defaults()} is the machine's own release, architecture
 * and mirror, {@link #guide()} the guide's Ubuntu 8.04.
 *
 * {@snippet :
 * Debootstrap bookworm = Debootstrap.defaults();                       // e.g. bookworm, amd64, deb.debian.org
 * Debootstrap small = Debootstrap.builder().variant(Debootstrap.Variant.MINBASE).build();
 * Debootstrap hardy = Debootstrap.guide();                             // hardy, i386, archive.ubuntu.com
 * }
 *
 * @param suite the release, for example {@code bookworm}
 * @param architecture the Debian architecture, for example {@code amd64}
 * @param variant the package selection
 * @param include extra packages debootstrap installs (its {@code --include})
 * @param mirror the archive to download from
 * @param securityMirror the archive of security updates, written to the root's apt sources
 * @param components archive components, for example {@code main}
 * @param cacheFolder where downloaded packages are kept between builds (debootstrap's
 *     {@code --make-tarball}/{@code --unpack-tarball}); empty for no cache
 */
public record Debootstrap(String suite, String architecture, Variant variant, List<String> include, URI mirror,
                          URI securityMirror, List<String> components, Optional<Path> cacheFolder) {

    /** The default cache folder. */
    public static final Path DEFAULT_CACHE = Path.of("/var/cache/netboot4j/debootstrap");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]*");

    /** Copies the lists. Use {@link #builder()}: this constructor does not validate. */
    public Debootstrap {
        include = List.copyOf(include);
        components = List.copyOf(components);
    }

    /** debootstrap's package selections ({@code --variant}). */
    public enum Variant {
        /** debootstrap's default: required and important packages (an init system, ifupdown, a DHCP client). */
        STANDARD(""),
        /** Only essential packages and apt ({@code --variant=minbase}): no init system. */
        MINBASE("minbase"),
        /** Essential packages and build-essential ({@code --variant=buildd}). */
        BUILDD("buildd");

        private final String option;

        Variant(String option) {
            this.option = option;
        }

        /** The {@code --variant} value, empty for {@link #STANDARD}. */
        public String option() {
            return option;
        }

        /** A short name for file names and messages. */
        public String label() {
            return option.isEmpty() ? "standard" : option;
        }
    }

    /** The machine's release, architecture and mirror, the standard variant, {@code main}, cached in {@link #DEFAULT_CACHE}. */
    public static Debootstrap defaults() {
        return builder().build();
    }

    /**
     * The guide's Ubuntu 8.04: {@code hardy}, {@code i386}, {@code http://archive.ubuntu.com/ubuntu/},
     * components {@code main restricted universe multiverse}. Ubuntu moved hardy to
     * {@code http://old-releases.ubuntu.com/ubuntu/}; set that mirror to really build it (and
     * install Debian's {@code ubuntu-keyring} on the head).
     */
    public static Debootstrap guide() {
        return builder().suite("hardy").architecture("i386").mirror("http://archive.ubuntu.com/ubuntu/")
                .securityMirror("http://security.ubuntu.com/ubuntu/")
                .components("main", "restricted", "universe", "multiverse").build();
    }

    /** A builder starting from the machine's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the suite is an Ubuntu release (by its mirror or its name). */
    public boolean isUbuntu() {
        return mirror.toString().contains("ubuntu") || Builder.UBUNTU_SUITES.contains(suite);
    }

    /** Builds {@link Debootstrap} settings; unset values come from the machine. */
    public static final class Builder {

        static final List<String> UBUNTU_SUITES = List.of("dapper", "hardy", "lucid", "precise", "trusty", "xenial",
                "bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing");

        private String suite;
        private String architecture;
        private Variant variant;
        private final List<String> include = new ArrayList<>();
        private URI mirror;
        private URI securityMirror;
        private List<String> components;
        private Optional<Path> cacheFolder;

        private Builder() {
        }

        /**
         * The release; default the machine's ({@code VERSION_CODENAME} of {@code /etc/os-release}),
         * or {@code bookworm} on a machine that is not Debian or Ubuntu.
         *
         * @throws IllegalArgumentException if it is not a lower-case release name
         * @throws IllegalStateException if set twice
         */
        public Builder suite(String suite) {
            once(this.suite, "suite");
            this.suite = name(suite, "suite");
            return this;
        }

        /**
         * The architecture; default the machine's ({@code dpkg --print-architecture}).
         *
         * @throws IllegalArgumentException if it is not a Debian architecture name
         */
        public Builder architecture(String architecture) {
            once(this.architecture, "architecture");
            this.architecture = name(architecture, "architecture");
            return this;
        }

        /** The package selection; default {@link Variant#STANDARD}. */
        public Builder variant(Variant variant) {
            once(this.variant, "variant");
            if (variant == null) {
                throw new IllegalArgumentException("variant must not be null");
            }
            this.variant = variant;
            return this;
        }

        /**
         * Adds packages debootstrap installs besides the variant's.
         *
         * @throws IllegalArgumentException naming a malformed package name
         */
        public Builder include(String... packages) {
            for (String p : packages) {
                include.add(name(p, "package"));
            }
            return this;
        }

        /**
         * The archive; default the machine's mirror for the suite in its apt sources, else
         * {@code http://deb.debian.org/debian}.
         *
         * @throws IllegalArgumentException if it is not an http, https, ftp or file URI
         */
        public Builder mirror(String mirror) {
            once(this.mirror, "mirror");
            this.mirror = uri(mirror, "mirror");
            return this;
        }

        /** The archive of security updates; default the machine's, else Debian's or Ubuntu's. */
        public Builder securityMirror(String mirror) {
            once(this.securityMirror, "securityMirror");
            this.securityMirror = uri(mirror, "security mirror");
            return this;
        }

        /** Archive components; default {@code main}. */
        public Builder components(String... components) {
            once(this.components, "components");
            if (components.length == 0) {
                throw new IllegalArgumentException("components must name at least one, for example main");
            }
            List<String> c = new ArrayList<>();
            for (String s : components) {
                c.add(name(s, "component"));
            }
            this.components = c;
            return this;
        }

        /** Where downloads are cached; default {@link #DEFAULT_CACHE}. */
        public Builder cacheFolder(Path folder) {
            once(this.cacheFolder, "cacheFolder");
            if (folder == null) {
                throw new IllegalArgumentException("cache folder must not be null");
            }
            this.cacheFolder = Optional.of(folder.toAbsolutePath());
            return this;
        }

        /** Downloads every time, keeping no cache. */
        public Builder noCache() {
            once(this.cacheFolder, "cacheFolder");
            this.cacheFolder = Optional.empty();
            return this;
        }

        /** The settings; unset values come from the machine. */
        public Debootstrap build() {
            boolean needMachine = suite == null || architecture == null || mirror == null || securityMirror == null;
            MachineDefaults machine = needMachine ? MachineDefaults.detect() : null;
            String s = suite != null ? suite : machine.suite();
            URI m = mirror != null ? mirror : (suite == null || suite.equals(machine.suite()) ? machine.mirror()
                    : UBUNTU_SUITES.contains(s) ? MachineDefaults.UBUNTU_MIRROR : MachineDefaults.DEBIAN_MIRROR);
            boolean ubuntu = m.toString().contains("ubuntu") || UBUNTU_SUITES.contains(s);
            URI sec = securityMirror != null ? securityMirror
                    : (machine != null && s.equals(machine.suite()) && ubuntu == machine.distribution().equals("ubuntu"))
                    ? machine.securityMirror() : ubuntu ? MachineDefaults.UBUNTU_SECURITY : MachineDefaults.DEBIAN_SECURITY;
            return new Debootstrap(s, architecture != null ? architecture : machine.architecture(),
                    variant != null ? variant : Variant.STANDARD, include.stream().distinct().toList(), m, sec,
                    components != null ? components : List.of("main"),
                    cacheFolder != null ? cacheFolder : Optional.of(DEFAULT_CACHE));
        }

        private static String name(String value, String what) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " '" + value
                        + "' is not valid: use lower-case letters, digits and . + - (for example bookworm, amd64, main)");
            }
            return value;
        }

        private static URI uri(String value, String what) {
            try {
                URI u = URI.create(value == null ? "" : value.strip());
                String scheme = u.getScheme() == null ? "" : u.getScheme();
                if (!List.of("http", "https", "ftp", "file").contains(scheme)) {
                    throw new IllegalArgumentException(what + " '" + value + "' must be an http, https, ftp or file URI");
                }
                return u;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(what)) {
                    throw e;
                }
                throw new IllegalArgumentException(what + " '" + value + "' is not a URI: " + e.getMessage(), e);
            }
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " was already set");
            }
        }
    }
}
