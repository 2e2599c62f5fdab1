package io.netboot4j.nfsroot.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external commands with a deadline; failures carry the command, exit code and output tail. */
public final class Exec {

    /** What a command printed and how it exited. */
    public record Result(int exit, String output) {
    }

    private Exec() {
    }

    /** Runs {@code command}, stdout and stderr merged, within {@code timeoutSeconds}. */
    public static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netboot4j-exec", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("'" + String.join(" ", command) + "' did not finish within " + timeoutSeconds
                        + " s; output: " + tail(Files.readString(out, StandardCharsets.UTF_8)));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code command} and throws unless it exits 0. */
    public static String check(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Result r = run(command, timeoutSeconds);
        if (r.exit() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' exited with " + r.exit() + ": " + tail(r.output()));
        }
        return r.output();
    }

    /** The last lines of {@code text}, at most 2000 characters. */
    public static String tail(String text) {
        String t = text.strip();
        return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
    }

    /** Writes {@code text} to {@code file} atomically (temporary file, then an atomic move). */
    public static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
