package io.netboot4j.kerrighed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small root filesystem to chroot into: busybox (Debian's busybox-static) for the shell
 * and tools, the host's make and bash with the libraries they link, /dev/null and /dev/zero, and
 * stand-ins for apt-get and ldconfig that record their calls in /usr/src/calls.
 */
final class ChrootFixture {

    private static final Pattern LIB = Pattern.compile("(/\\S+) \\(0x");

    private ChrootFixture() {
    }

    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "chroot needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox from Debian package busybox-static");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")), "needs make from Debian package make");
    }

    static void prepare(Path root) throws Exception {
        for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "usr/src", "tmp", "dev", "etc", "boot")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        String applets = CommandRunner.local().run(Command.of("/bin/busybox", "--list")).orThrow().stdout();
        for (String a : applets.split("\\s+")) {
            if (!a.isEmpty() && !a.contains("/") && !Files.exists(root.resolve("bin").resolve(a), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(root.resolve("bin").resolve(a), Path.of("busybox"));
            }
        }
        copyWithLibraries(Path.of("/usr/bin/make"), root);
        Files.deleteIfExists(root.resolve("bin/bash"));
        copyWithLibraries(Path.of("/bin/bash").toRealPath(), root);
        if (!Files.exists(root.resolve("bin/bash"))) {
            Files.copy(root.resolve(Path.of("/bin/bash").toRealPath().toString().substring(1)), root.resolve("bin/bash"));
            Files.setPosixFilePermissions(root.resolve("bin/bash"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        CommandRunner.local().run(Command.of("mknod", "-m", "666", root.resolve("dev/null").toString(), "c", "1", "3")).orThrow();
        CommandRunner.local().run(Command.of("mknod", "-m", "666", root.resolve("dev/zero").toString(), "c", "1", "5")).orThrow();
        script(root.resolve("sbin/ldconfig"), "#!/bin/sh\necho \"ldconfig $*\" >> /usr/src/calls\n");
        script(root.resolve("usr/bin/apt-get"), "#!/bin/sh\necho \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> /usr/src/calls\n");
    }

    static void script(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void copyWithLibraries(Path program, Path root) throws Exception {
        List<Path> files = new ArrayList<>(List.of(program));
        String ldd = CommandRunner.local().run(Command.of("ldd", program.toString())).stdout();
        Matcher m = LIB.matcher(ldd);
        while (m.find()) {
            files.add(Path.of(m.group(1)));
        }
        for (Path f : files) {
            Path target = root.resolve(f.toString().substring(1));
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                Files.copy(f.toRealPath(), target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }
}
