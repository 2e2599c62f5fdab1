package io.netboot4j.kerrighed;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.KernelImage;
import io.netboot4j.core.spi.ServiceContext;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.kerrighed.internal.BzImage;
import io.netboot4j.kerrighed.internal.SourceCache;
import io.netboot4j.kerrighed.internal.StepPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code kerrighed-2.4} kernel build: the guide's section 2.1 as named, re-runnable
 * steps, each command run through the {@link BuildRoot}'s runner (inside the nodes' root
 * with {@code chroot}, as the guide does, or staged below a prefix).
 *
 * <ol>
 * <li>{@code install-build-dependencies}: {@code apt-get install -y automake autoconf ... gcc-3.3 ...}</li>
 * <li>{@code fetch-sources}: {@code kerrighed-2.4.1.tar.gz} and {@code linux-2.6.20.tar.bz2} into the
 *     cache, each checked against its pinned SHA-256 (the guide used plain http and no check), then
 *     copied to {@code /usr/src}</li>
 * <li>{@code unpack-sources}: {@code tar zxf}, {@code tar jxf} in {@code /usr/src}</li>
 * <li>{@code fix-modules-makefile}: {@code SHELL = /bin/sh} at the top of {@code modules/Makefile}
 *     becomes {@code /bin/bash}, only if that bug is there</li>
 * <li>{@code configure}: {@code ./configure --with-kernel=/usr/src/linux-2.6.20 CC=gcc-3.3}</li>
 * <li>{@code make-defconfig}: {@code make defconfig} in {@code kernel/}</li>
 * <li>{@code apply-config-fragment}: the guide's menuconfig choices ({@link KernelConfigFragment#kerrighedGuide()})
 *     written into {@code kernel/.config}</li>
 * <li>{@code make-kernel}: {@code make kernel} (the kernel's own silentoldconfig resolves dependencies)</li>
 * <li>{@code check-kernel-config}: every fragment symbol still as asked, else each is named</li>
 * <li>{@code make}, {@code make-kernel-install}, {@code make-install}, {@code ldconfig}</li>
 * <li>{@code verify-installed-artifacts}: the guide's list ({@link #GUIDE_ARTIFACTS}); each missing one named</li>
 * <li>{@code write-kerrighed-files}: {@code /etc/kerrighed_nodes}, {@code ENABLE=true}, {@code /config},
 *     the configfs line (when the cluster has {@link Kerrighed} settings)</li>
 * <li>{@code copy-kernel}: {@code /boot/vmlinuz-2.6.20-krg} into the boot folder, checked to be a bzImage</li>
 * <li>{@code render-grub-stanza}: the guide's stanza into {@code /boot/grub/menu.lst}</li>
 * </ol>
 *
 * <p>A step that succeeded is stamped and skipped by the next {@link #build}, so a failed
 * build resumes at the failed step; {@link #runStep} runs one step again. A failure is a
 * {@link KernelBuildException} naming the step, with the command's output tail.
 *
 * <p>Kerrighed 2.4.1 needs Linux 2.6.20 and gcc 3.3, which no current distribution
 * builds or ships: this pipeline runs where those exist (an Ubuntu 8.04 root, as in the
 * guide). For a current kernel use {@link KbuildKernel}.
 */
public final class Kerrighed24Build extends SteppedKernelBuild {

    /** The build's name and provider name. */
    public static final String NAME = "kerrighed-2.4";

    /** The packages the guide installs before building. */
    public static final List<String> GUIDE_BUILD_DEPENDENCIES = List.of("automake", "autoconf", "libtool", "pkg-config",
            "gawk", "rsync", "bzip2", "gcc-3.3", "libncurses5", "libncurses5-dev", "wget", "lsb-release", "xmlto",
            "patchutils", "xutils-dev", "build-essential", "openssh-server", "ntp");

    /**
     * What a good build installs, from the guide's list ("from the Kerrighed 2.4 install
     * guide"). A path ending in {@code *} matches any entry with that prefix.
     */
    public static final List<Artifact> GUIDE_ARTIFACTS = List.of(
            new Artifact("/boot/vmlinuz-2.6.20-krg", "Kerrighed kernel"),
            new Artifact("/boot/System.map*", "kernel symbol table"),
            new Artifact("/lib/modules/2.6.20-krg", "Kerrighed kernel modules"),
            new Artifact("/etc/init.d/kerrighed", "Kerrighed service script"),
            new Artifact("/etc/default/kerrighed", "Kerrighed service configuration file"),
            new Artifact("/usr/local/share/man/*", "Kerrighed man pages"),
            new Artifact("/usr/local/bin/krgadm", "cluster administration tool"),
            new Artifact("/usr/local/bin/krgcapset", "tool for setting capabilities of processes on the cluster"),
            new Artifact("/usr/local/bin/krgcr-run", "tool for checkpointing processes"),
            new Artifact("/usr/local/bin/migrate", "tool for migrating processes"),
            new Artifact("/usr/local/lib/libkerrighed*", "libraries needed by Kerrighed"),
            new Artifact("/usr/local/include/kerrighed", "headers for Kerrighed libraries"));

    private static final Pattern SHELL_LINE = Pattern.compile("^([ \t]*SHELL[ \t]*:?=[ \t]*)(\\S+)(.*)$");

    private final Settings settings;

    /** A build with these settings; cheap (nothing runs until {@link #build}). */
    public Kerrighed24Build(Settings settings) {
        this.settings = settings;
    }

    /** A provider that creates this build with fixed settings, to pass to {@code ClusterBuilder.kernelBuild(..)}. */
    public static KernelBuildProvider provider(Settings settings) {
        return KernelBuildProvider.of(NAME, context ->
                new Kerrighed24Build(settings.cluster().isPresent() ? settings : settings.withCluster(context.cluster())));
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /**
     * Runs every step not yet done, then returns the kernel in the boot folder.
     *
     * @throws KernelBuildException naming the failing step, with its command's output tail
     */
    @Override
    public KernelImage build(BuildListener listener) throws KernelBuildException {
        runAll(listener);
        return new KernelImage(settings.bootFolder().resolve(kernelFileName()), Optional.empty());
    }

    private String kernelFileName() {
        return "vmlinuz-" + settings.kernelRelease();
    }

    private String kerrighedDir() {
        return settings.sourceFolder() + "/" + unpackedName(settings.kerrighedSource().fileName());
    }

    private String linuxDir() {
        return settings.sourceFolder() + "/" + unpackedName(settings.linuxSource().fileName());
    }

    static String unpackedName(String archive) {
        return archive.replaceFirst("\\.(tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz|tar)$", "");
    }

    private static String tarFlags(String archive) {
        if (archive.endsWith(".tar.bz2") || archive.endsWith(".tbz2")) {
            return "jxf";
        }
        if (archive.endsWith(".tar.xz") || archive.endsWith(".txz")) {
            return "Jxf";
        }
        if (archive.endsWith(".tar")) {
            return "xf";
        }
        return "zxf";
    }

    private CommandResult run(Command c) throws IOException, InterruptedException {
        return settings.root().runner().run(c.timeout(settings.stepTimeout())).orThrow();
    }

    private Command make(String dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("make"));
        argv.addAll(List.of(args));
        return Command.of(argv).in(settings.root().commandPath(dir));
    }

    @Override
    StepPipeline makePipeline() {
        BuildRoot root = settings.root();
        StepPipeline p = new StepPipeline(NAME, settings.stamps());
        p.step("install-build-dependencies", "install the packages the build needs", () -> {
            if (settings.buildDependencies().isEmpty()) {
                return "no packages to install";
            }
            List<String> argv = new ArrayList<>(settings.installer());
            argv.addAll(settings.buildDependencies());
            run(Command.of(argv).with("DEBIAN_FRONTEND", "noninteractive"));
            return String.join(" ", settings.buildDependencies());
        });
        p.step("fetch-sources", "fetch the sources into the cache, checking their SHA-256", () -> {
            SourceCache cache = new SourceCache(settings.cache());
            for (SourceArchive a : List.of(settings.kerrighedSource(), settings.linuxSource())) {
                Path cached = cache.fetch(a);
                Path target = root.hostPath(settings.sourceFolder() + "/" + a.fileName());
                if (!Files.exists(target) || !SourceCache.sha256(target).equals(SourceCache.sha256(cached))) {
                    AtomicFiles.copy(cached, target);
                }
            }
            return settings.kerrighedSource().fileName() + ", " + settings.linuxSource().fileName();
        });
        p.step("unpack-sources", "unpack the sources in " + settings.sourceFolder(), () -> {
            for (SourceArchive a : List.of(settings.kerrighedSource(), settings.linuxSource())) {
                run(Command.of("tar", tarFlags(a.fileName()), a.fileName()).in(root.commandPath(settings.sourceFolder())));
            }
            return "";
        });
        p.step("fix-modules-makefile", "use /bin/bash as SHELL in modules/Makefile if it uses sh", () -> {
            Path makefile = root.hostPath(kerrighedDir() + "/modules/Makefile");
            if (!Files.exists(makefile)) {
                return "no modules/Makefile; nothing to fix";
            }
            String text = Files.readString(makefile, StandardCharsets.ISO_8859_1);
            String fixed = fixShell(text);
            if (fixed.equals(text)) {
                return "SHELL bug not present";
            }
            AtomicFiles.write(makefile, fixed.getBytes(StandardCharsets.ISO_8859_1));
            return "SHELL set to /bin/bash";
        });
        p.step("configure", "./configure --with-kernel=" + linuxDir() + " CC=" + settings.compiler(), () -> {
            run(Command.of("./configure", "--with-kernel=" + root.commandPath(linuxDir()), "CC=" + settings.compiler())
                    .in(root.commandPath(kerrighedDir())));
            return "";
        });
        p.step("make-defconfig", "make defconfig in kernel/", () -> {
            run(make(kerrighedDir() + "/kernel", "defconfig"));
            return "";
        });
        p.step("apply-config-fragment", "build the guide's drivers and NFS root into the kernel", () -> {
            Path config = root.hostPath(kerrighedDir() + "/kernel/.config");
            if (!Files.exists(config)) {
                throw new IOException(config + " does not exist: make defconfig wrote no configuration");
            }
            String text = Files.readString(config, StandardCharsets.ISO_8859_1);
            AtomicFiles.write(config, settings.fragment().applyTo(text).getBytes(StandardCharsets.ISO_8859_1));
            return String.join(" ", settings.fragment().settings().keySet());
        });
        p.step("make-kernel", "make kernel", () -> {
            run(make(kerrighedDir(), "kernel"));
            return "";
        });
        p.step("check-kernel-config", "check the built configuration has the fragment", () -> {
            settings.fragment().requireIn(root.hostPath(kerrighedDir() + "/kernel/.config"));
            return "";
        });
        p.step("make", "make (the Kerrighed module and tools)", () -> {
            run(make(kerrighedDir()));
            return "";
        });
        p.step("make-kernel-install", "make kernel-install", () -> {
            run(make(kerrighedDir(), concat("kernel-install", root.installArguments())));
            return "";
        });
        p.step("make-install", "make install", () -> {
            run(make(kerrighedDir(), concat("install", root.installArguments())));
            return "";
        });
        p.step("ldconfig", "ldconfig", () -> {
            if (root.staged()) {
                run(Command.of("ldconfig", "-N", "-n", root.commandPath("/usr/local/lib")));
            } else {
                run(Command.of("ldconfig"));
            }
            return "";
        });
        p.always("verify-installed-artifacts", "check the guide's list of installed files", () -> {
            List<String> missing = new ArrayList<>();
            for (Artifact a : settings.artifacts()) {
                if (!a.presentIn(root)) {
                    missing.add(a.path() + " (" + a.description() + ")");
                }
            }
            if (!missing.isEmpty()) {
                throw new IOException("missing after make install: " + String.join(", ", missing));
            }
            return settings.artifacts().size() + " artifacts present";
        });
        p.always("write-kerrighed-files", "write /etc/kerrighed_nodes, ENABLE=true, /config and the configfs line", () -> {
            Optional<Cluster> cluster = settings.cluster().filter(c -> c.extension(Kerrighed.class).isPresent());
            if (cluster.isEmpty()) {
                return "the cluster has no Kerrighed settings; nothing written";
            }
            KerrighedFiles.install(root.hostPath("/"), cluster.get());
            return KerrighedFiles.NODES_FILE;
        });
        p.always("copy-kernel", "copy the kernel into the boot folder", () -> {
            Path kernel = root.hostPath("/boot/" + kernelFileName());
            BzImage.check(kernel);
            AtomicFiles.copy(kernel, settings.bootFolder().resolve(kernelFileName()));
            return settings.bootFolder().resolve(kernelFileName()).toString();
        });
        p.always("render-grub-stanza", "add the guide's stanza to /boot/grub/menu.lst", () -> {
            Kerrighed k = settings.cluster().flatMap(c -> c.extension(Kerrighed.class)).orElse(Kerrighed.session(1));
            GrubStanza stanza = GrubStanza.guide(k, 1);
            Path menu = root.hostPath("/boot/grub/menu.lst");
            String text = Files.exists(menu) ? Files.readString(menu, StandardCharsets.UTF_8) : "";
            String updated = stanza.addTo(text);
            if (!updated.equals(text)) {
                AtomicFiles.writeString(menu, updated);
            }
            return menu.toString();
        });
        return p;
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    /**
     * {@code makefile} with its first {@code SHELL} assignment changed to {@code /bin/bash}
     * if it names {@code sh} or {@code /bin/sh} (the guide's bug); otherwise unchanged.
     */
    static String fixShell(String makefile) {
        String[] lines = makefile.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = SHELL_LINE.matcher(lines[i]);
            if (m.matches()) {
                if (m.group(2).equals("sh") || m.group(2).equals("/bin/sh")) {
                    lines[i] = m.group(1) + "/bin/bash" + m.group(3);
                    return String.join("\n", lines);
                }
                return makefile;
            }
        }
        return makefile;
    }

    /**
     * One installed file or folder the guide lists.
     *
     * @param path the path as the guide names it; a trailing {@code *} matches any entry with that prefix
     * @param description what it is
     */
    public record Artifact(String path, String description) {

        /** Whether it exists in {@code root} (a folder ending in {@code /*} must hold at least one file). */
        public boolean presentIn(BuildRoot root) throws IOException {
            if (!path.endsWith("*")) {
                return Files.exists(root.hostPath(path));
            }
            String prefix = path.substring(0, path.length() - 1);
            if (prefix.endsWith("/")) {
                Path dir = root.hostPath(prefix);
                if (!Files.isDirectory(dir)) {
                    return false;
                }
                try (Stream<Path> s = Files.walk(dir)) {
                    return s.anyMatch(Files::isRegularFile);
                }
            }
            Path dir = root.hostPath(prefix.substring(0, prefix.lastIndexOf('/') + 1));
            String start = prefix.substring(prefix.lastIndexOf('/') + 1);
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, e -> e.getFileName().toString().startsWith(start))) {
                return s.iterator().hasNext();
            }
        }
    }

    /**
     * What a {@code kerrighed-2.4} build uses. Made by {@link #of(BuildRoot, Path)} with the
     * guide's values; each {@code with...} returns a changed copy.
     *
     * @param root where the build installs and how its commands run
     * @param cache the source archive cache (with an optional {@code SHA256SUMS} of pins)
     * @param bootFolder where the kernel is copied for the nodes
     * @param stamps where finished steps are recorded
     * @param kerrighedSource the Kerrighed archive, default {@link SourceArchive#KERRIGHED_2_4_1} (unpinned)
     * @param linuxSource the Linux archive, default {@link SourceArchive#LINUX_2_6_20} (unpinned)
     * @param sourceFolder where the sources are unpacked, default {@code /usr/src}
     * @param compiler the {@code CC} given to configure, default {@code gcc-3.3}
     * @param kernelRelease the installed kernel's release, default {@code 2.6.20-krg}
     * @param buildDependencies packages installed first, default {@link #GUIDE_BUILD_DEPENDENCIES}
     * @param installer the package installer command, default {@code apt-get install -y}
     * @param fragment the kernel configuration, default {@link KernelConfigFragment#kerrighedGuide()}
     * @param artifacts what must be installed, default {@link #GUIDE_ARTIFACTS}
     * @param cluster the cluster, for the Kerrighed files and the GRUB stanza's session
     * @param stepTimeout time limit of each command, default two hours
     */
    public record Settings(BuildRoot root, Path cache, Path bootFolder, Path stamps, SourceArchive kerrighedSource,
                           SourceArchive linuxSource, String sourceFolder, String compiler, String kernelRelease,
                           List<String> buildDependencies, List<String> installer, KernelConfigFragment fragment,
                           List<Artifact> artifacts, Optional<Cluster> cluster, Duration stepTimeout) {

        /** Copies the lists; @throws IllegalArgumentException if a part is missing or the source folder is relative */
        public Settings {
            if (root == null || cache == null || bootFolder == null || stamps == null || kerrighedSource == null
                    || linuxSource == null || compiler == null || kernelRelease == null || fragment == null
                    || cluster == null || stepTimeout == null) {
                throw new IllegalArgumentException("kerrighed-2.4 settings must not have null parts");
            }
            if (sourceFolder == null || !sourceFolder.startsWith("/")) {
                throw new IllegalArgumentException("source folder '" + sourceFolder + "' must be absolute");
            }
            buildDependencies = List.copyOf(buildDependencies);
            installer = List.copyOf(installer);
            artifacts = List.copyOf(artifacts);
            if (installer.isEmpty() && !buildDependencies.isEmpty()) {
                throw new IllegalArgumentException("an installer command is needed to install " + buildDependencies);
            }
        }

        /**
         * The guide's settings: sources unpinned (pin them with {@link #withKerrighedSource}
         * and {@link #withLinuxSource}, or in {@code <workFolder>/cache/SHA256SUMS}), cache in
         * {@code <workFolder>/cache}, kernel copied to {@code <workFolder>/boot}, stamps in
         * {@code <workFolder>/kerrighed-2.4-steps}.
         */
        public static Settings of(BuildRoot root, Path workFolder) {
            return new Settings(root, workFolder.resolve("cache"), workFolder.resolve("boot"),
                    workFolder.resolve("kerrighed-2.4-steps"), SourceArchive.KERRIGHED_2_4_1, SourceArchive.LINUX_2_6_20,
                    "/usr/src", "gcc-3.3", "2.6.20-krg", GUIDE_BUILD_DEPENDENCIES, List.of("apt-get", "install", "-y"),
                    KernelConfigFragment.kerrighedGuide(), GUIDE_ARTIFACTS, Optional.empty(), Duration.ofHours(2));
        }

        /** With another Kerrighed archive (another URI, or pinned). */
        public Settings withKerrighedSource(SourceArchive a) {
            return new Settings(root, cache, bootFolder, stamps, a, linuxSource, sourceFolder, compiler, kernelRelease,
                    buildDependencies, installer, fragment, artifacts, cluster, stepTimeout);
        }

        /** With another Linux archive (another URI, or pinned). */
        public Settings withLinuxSource(SourceArchive a) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, a, sourceFolder, compiler, kernelRelease,
                    buildDependencies, installer, fragment, artifacts, cluster, stepTimeout);
        }

        /** With another cache folder. */
        public Settings withCache(Path folder) {
            return new Settings(root, folder, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, buildDependencies, installer, fragment, artifacts, cluster, stepTimeout);
        }

        /** With another boot folder. */
        public Settings withBootFolder(Path folder) {
            return new Settings(root, cache, folder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, buildDependencies, installer, fragment, artifacts, cluster, stepTimeout);
        }

        /** With other packages installed by another installer command (empty packages: install nothing). */
        public Settings withBuildDependencies(List<String> installerCommand, List<String> packages) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, packages, installerCommand, fragment, artifacts, cluster, stepTimeout);
        }

        /** With another compiler for configure's {@code CC}. */
        public Settings withCompiler(String cc) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, cc,
                    kernelRelease, buildDependencies, installer, fragment, artifacts, cluster, stepTimeout);
        }

        /** With another kernel configuration fragment. */
        public Settings withFragment(KernelConfigFragment f) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, buildDependencies, installer, f, artifacts, cluster, stepTimeout);
        }

        /** With the cluster whose Kerrighed settings the build writes. */
        public Settings withCluster(Cluster c) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, buildDependencies, installer, fragment, artifacts, Optional.of(c), stepTimeout);
        }

        /** With another time limit per command. */
        public Settings withStepTimeout(Duration limit) {
            return new Settings(root, cache, bootFolder, stamps, kerrighedSource, linuxSource, sourceFolder, compiler,
                    kernelRelease, buildDependencies, installer, fragment, artifacts, cluster, limit);
        }
    }
}
