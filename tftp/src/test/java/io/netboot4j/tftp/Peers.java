package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client programs from Debian packages. */
final class Peers {

    private Peers() {
    }

    /** The outcome of a command. */
    record Result(int exit, String output) {
    }

    /** Skips the test (with the package to install) unless {@code program} is on the PATH. */
    static void require(String program, String debianPackage) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                found = true;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                found = true;
            }
        }
        assumeTrue(found, program + " is not installed: install Debian package " + debianPackage);
    }

    /** Runs {@code command} in {@code dir} with {@code stdin}, waiting at most {@code seconds}. */
    static Result run(Path dir, String stdin, int seconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true);
        Path out = Files.createTempFile(dir, "peer-", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s; output: "
                    + Files.readString(out, StandardCharsets.ISO_8859_1));
        }
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        Files.delete(out);
        return new Result(p.exitValue(), text);
    }

    /** Asserts two files have the same bytes (without reading large ones into a String). */
    static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertThat(actual).exists();
        assertThat(Files.size(actual)).as("size of " + actual).isEqualTo(Files.size(expected));
        assertThat(Files.mismatch(expected, actual)).as("first differing byte of " + actual).isEqualTo(-1L);
    }
}
