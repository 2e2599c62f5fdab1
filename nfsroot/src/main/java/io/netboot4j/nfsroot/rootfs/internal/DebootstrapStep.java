package io.netboot4j.nfsroot.rootfs.internal;

import io.netboot4j.core.spi.BuildListener;
import io.netboot4j.nfsroot.rootfs.Debootstrap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Guide part 1.4: {@code debootstrap --arch i386 hardy /nfsroot/kerrighed http://archive.ubuntu.com/ubuntu/}.
 *
 * <p>A finished tree (marked by {@value #MARKER} with the same suite, architecture and
 * variant) is kept as it is. Downloads are cached as a debootstrap tarball
 * ({@code --make-tarball}, then {@code --unpack-tarball}), so a second tree of the same
 * settings is made without the network. A tree debootstrap left half-made (its
 * {@code /debootstrap} folder is still there) is bootstrapped again in place.
 *
 * <p>debootstrap runs in its {@code --debian-installer} mode, which reports structured
 * progress ({@code P: now end phase}) on file descriptor 3: that goes to the listener, the
 * messages to the log.
 */
public final class DebootstrapStep extends Step {

    /** Marks a tree this step finished, with the settings it was made with. */
    public static final String MARKER = "/var/lib/netboot4j/debootstrap";

    /** The step. */
    public DebootstrapStep() {
        super("debootstrap");
    }

    @Override
    protected String apply(StepContext c) throws Exception {
        TreeFiles tree = c.tree();
        Path root = tree.root();
        Debootstrap d = c.debootstrap();
        String wanted = marker(d);
        Optional<String> made = Files.isDirectory(root) ? tree.read(MARKER) : Optional.empty();
        if (made.isPresent()) {
            List<String> differences = differences(parse(made.get()), parse(wanted));
            if (!differences.isEmpty()) {
                throw new IllegalStateException("the tree at " + root + " was bootstrapped with other settings ("
                        + String.join(", ", differences) + "); delete it or build with the same settings");
            }
            log.info("{} is a finished {} {} tree; not bootstrapping it again", root, d.suite(), d.architecture());
            return "already bootstrapped";
        }
        boolean halfMade = Files.isDirectory(root.resolve("debootstrap"), LinkOption.NOFOLLOW_LINKS);
        if (!halfMade && looksFinished(root)) {
            log.info("{} holds a finished root filesystem made elsewhere; keeping it and marking it", root);
            tree.write(MARKER, wanted, 0, 0, 0644);
            return "kept the existing tree";
        }
        if (!halfMade && Files.isDirectory(root) && !isEmpty(root)) {
            throw new IllegalStateException(root + " is neither empty nor a root filesystem; refusing to debootstrap into it");
        }
        if (halfMade) {
            log.info("{} was left half-made by an earlier debootstrap; bootstrapping it again", root);
        }
        Files.createDirectories(root);
        List<String> options = options(d);
        Optional<Path> tarball = d.cacheFolder().map(f -> f.resolve(tarballName(d)));
        if (tarball.isPresent()) {
            if (!Files.isRegularFile(tarball.get())) {
                makeTarball(d, options, tarball.get(), c.listener());
            } else {
                log.info("using the cached packages in {}", tarball.get());
            }
            options.add("--unpack-tarball=" + tarball.get());
        }
        List<String> argv = new ArrayList<>(List.of("debootstrap", "--debian-installer"));
        argv.addAll(options);
        argv.addAll(List.of(d.suite(), root.toString(), d.mirror().toString()));
        run(argv, c.listener());
        tree.write(MARKER, wanted, 0, 0, 0644);
        return "bootstrapped " + d.suite() + " " + d.architecture();
    }

    private void makeTarball(Debootstrap d, List<String> options, Path tarball, BuildListener listener)
            throws IOException, InterruptedException {
        Files.createDirectories(tarball.getParent());
        Path work = Files.createTempDirectory(tarball.getParent(), ".work-");
        Path tmp = tarball.resolveSibling("." + tarball.getFileName() + ".part-" + work.getFileName().toString().substring(6));
        try {
            log.info("downloading {} {} ({}) from {} into the cache {}", d.suite(), d.architecture(), d.variant().label(),
                    d.mirror(), tarball);
            List<String> argv = new ArrayList<>(List.of("debootstrap", "--debian-installer"));
            argv.addAll(options);
            argv.add("--make-tarball=" + tmp);
            argv.addAll(List.of(d.suite(), work.toString(), d.mirror().toString()));
            run(argv, listener);
            Files.move(tmp, tarball, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
            deleteTree(work);
        }
    }

    /** The debootstrap options besides the tarball ones. */
    static List<String> options(Debootstrap d) {
        List<String> o = new ArrayList<>();
        o.add("--arch=" + d.architecture());
        if (!d.variant().option().isEmpty()) {
            o.add("--variant=" + d.variant().option());
        }
        o.add("--components=" + String.join(",", d.components()));
        if (!d.include().isEmpty()) {
            o.add("--include=" + String.join(",", d.include()));
        }
        return o;
    }

    /** The cache file of these settings: suite, architecture, variant, and a digest of the rest. */
    public static String tarballName(Debootstrap d) {
        String key = String.join("\n", d.suite(), d.architecture(), d.variant().label(), String.join(",", d.components()),
                String.join(",", d.include().stream().sorted().toList()), d.mirror().toString());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return d.suite() + "-" + d.architecture() + "-" + d.variant().label() + "-"
                    + HexFormat.of().formatHex(digest).substring(0, 12) + ".tgz";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The marker's text: the settings the tree was made with. */
    public static String marker(Debootstrap d) {
        return "# written by netboot4j when debootstrap finished this tree\n"
                + "suite=" + d.suite() + "\n"
                + "architecture=" + d.architecture() + "\n"
                + "variant=" + d.variant().label() + "\n"
                + "components=" + String.join(",", d.components()) + "\n"
                + "include=" + String.join(",", d.include()) + "\n"
                + "mirror=" + d.mirror() + "\n";
    }

    private static Map<String, String> parse(String marker) {
        Map<String, String> m = new LinkedHashMap<>();
        marker.lines().filter(l -> !l.startsWith("#") && l.contains("="))
                .forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return m;
    }

    private List<String> differences(Map<String, String> made, Map<String, String> wanted) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("suite", "architecture", "variant")) {
            if (!wanted.get(key).equals(made.getOrDefault(key, ""))) {
                out.add(key + " " + made.getOrDefault(key, "?") + ", not " + wanted.get(key));
            }
        }
        for (String key : List.of("components", "include", "mirror")) {
            if (!wanted.get(key).equals(made.getOrDefault(key, ""))) {
                log.warn("the tree was bootstrapped with {}={}, the settings say {}; keeping the tree", key,
                        made.getOrDefault(key, ""), wanted.get(key));
            }
        }
        return out;
    }

    /** Whether {@code root} holds a finished Debian-style root: dpkg's database, {@code /etc/os-release} and a shell. */
    static boolean looksFinished(Path root) {
        return Files.isRegularFile(root.resolve("var/lib/dpkg/status"))
                && (Files.exists(root.resolve("etc/os-release")) || Files.exists(root.resolve("usr/lib/os-release"))
                        || Files.exists(root.resolve("etc/debian_version")))
                && !Files.isDirectory(root.resolve("debootstrap"), LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.findAny().isEmpty();
        }
    }

    private void run(List<String> argv, BuildListener listener) throws IOException, InterruptedException {
        // --debian-installer: structured messages on fd 3, the full log on stdout and stderr.
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "exec 3>&2 2>&1 \"$@\"", "sh"));
        wrapped.addAll(argv);
        DebootstrapMessages messages = new DebootstrapMessages(name(), listener, log);
        var result = ExternalCommand.of(wrapped).env("LC_ALL", "C").env("DEBIAN_FRONTEND", "noninteractive")
                .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .stdout(line -> log.debug("{}", line))
                .stderr(messages::accept)
                .run();
        if (result.exitCode() != 0) {
            String errors = messages.errors().isEmpty() ? "" : ": " + String.join("; ", messages.errors());
            throw new IOException("'" + String.join(" ", argv) + "' exited with " + result.exitCode() + errors
                    + "; last output:\n  " + String.join("\n  ", result.tail()));
        }
    }

    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
