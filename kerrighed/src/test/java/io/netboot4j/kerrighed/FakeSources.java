package io.netboot4j.kerrighed;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Small stand-ins for kerrighed-2.4.1.tar.gz and linux-2.6.20.tar.bz2, packed by the test
 * with the real tar: a configure and Makefiles that record how they were called and
 * produce what the guide lists.
 */
final class FakeSources {

    /** Marker files that change the stand-in's behaviour. */
    static final String FAIL_CONFIGURE = "FAIL_CONFIGURE";
    static final String SKIP_KRGCR_RUN = "SKIP_krgcr-run";

    private FakeSources() {
    }

    /** Packs the archives into {@code mirror}; {@code markers} are placed in kerrighed-2.4.1/. */
    static void pack(Path mirror, String... markers) throws Exception {
        Path src = Files.createTempDirectory(mirror.getParent(), "fake-src");
        copyTree(resource("/fake-kerrighed"), src);
        Files.setPosixFilePermissions(src.resolve("kerrighed-2.4.1/configure"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String m : markers) {
            Files.writeString(src.resolve("kerrighed-2.4.1").resolve(m), "");
        }
        Files.createDirectories(mirror);
        tar(List.of("tar", "czf", mirror.resolve("kerrighed-2.4.1.tar.gz").toString(), "-C", src.toString(), "kerrighed-2.4.1"));
        tar(List.of("tar", "cjf", mirror.resolve("linux-2.6.20.tar.bz2").toString(), "-C", src.toString(), "linux-2.6.20"));
    }

    private static void tar(List<String> argv) throws Exception {
        CommandRunner.local().run(Command.of(argv)).orThrow();
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(FakeSources.class.getResource(name).toURI());
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
