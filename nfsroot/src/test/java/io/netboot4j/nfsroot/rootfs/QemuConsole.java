package io.netboot4j.nfsroot.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A QEMU guest whose serial console is the process's standard input and output, for tests. */
final class QemuConsole implements AutoCloseable {

    private final Process process;
    private final StringBuilder console = new StringBuilder();
    private final OutputStream keyboard;
    private int mark;

    QemuConsole(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        keyboard = process.getOutputStream();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (console) {
                        console.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                        console.notifyAll();
                    }
                }
            } catch (IOException e) {
                // QEMU ended
            }
        });
    }

    /**
     * Waits until one of {@code texts} appears after the last thing awaited.
     *
     * @return the one that appeared first, or null at the deadline or when QEMU ends
     */
    String awaitAny(Duration deadline, String... texts) throws InterruptedException {
        Instant end = Instant.now().plus(deadline);
        synchronized (console) {
            while (true) {
                int best = -1;
                String found = null;
                for (String t : texts) {
                    int at = console.indexOf(t, mark);
                    if (at >= 0 && (best < 0 || at < best)) {
                        best = at;
                        found = t;
                    }
                }
                if (found != null) {
                    mark = best + found.length();
                    return found;
                }
                long left = Duration.between(Instant.now(), end).toMillis();
                if (left <= 0 || !process.isAlive()) {
                    return null;
                }
                console.wait(Math.min(left, 500));
            }
        }
    }

    /** Waits until {@code text} appears after the last thing awaited; false at the deadline or when QEMU ends. */
    boolean await(String text, Duration deadline) throws InterruptedException {
        Instant end = Instant.now().plus(deadline);
        synchronized (console) {
            while (true) {
                int at = console.indexOf(text, mark);
                if (at >= 0) {
                    mark = at + text.length();
                    return true;
                }
                long left = Duration.between(Instant.now(), end).toMillis();
                if (left <= 0 || (!process.isAlive() && console.indexOf(text, mark) < 0)) {
                    return false;
                }
                console.wait(Math.min(left, 500));
            }
        }
    }

    /** Types {@code line} and Enter. */
    void type(String line) throws IOException {
        keyboard.write((line + "\r").getBytes(StandardCharsets.ISO_8859_1));
        keyboard.flush();
    }

    String text() {
        synchronized (console) {
            return console.toString();
        }
    }

    void save(Path file) throws IOException {
        java.nio.file.Files.writeString(file, text(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
