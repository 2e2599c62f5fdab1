package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.testkit.VirtualNode.ConsoleLine;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link SerialConsole} on a pipe: what a QEMU node's console reader does, without QEMU. */
class SerialConsoleTest {

    @Test
    void linesAreCleanedNumberedLoggedRawAndAPromptWithoutNewlineIsFoundOnceQuiet() throws Exception {
        PipedOutputStream machine = new PipedOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SerialConsole console = new SerialConsole("test machine", new PipedInputStream(machine, 1 << 16), log, System.nanoTime());
        String raw = "\u001B[0;1miPXE 1.0.0\u001B[0m -- Open Source\r\nLinux version 6.1\ndebian login: ";
        machine.write(raw.getBytes(StandardCharsets.UTF_8));
        machine.flush();

        ConsoleLine linux = console.await(Pattern.compile("Linux version"), 0, Duration.ofSeconds(30), () -> "running");
        assertThat(linux.index()).isEqualTo(1);
        assertThat(console.await(Pattern.compile("login:\\s*$"), 0, Duration.ofSeconds(30), () -> "running").text())
                .isEqualTo("debian login:");
        assertThat(console.lines()).extracting(ConsoleLine::text).containsExactly("iPXE 1.0.0 -- Open Source", "Linux version 6.1");
        assertThat(console.tail(1)).isEqualTo("Linux version 6.1\ndebian login:");

        machine.close();
        console.join(Duration.ofSeconds(30));
        assertThat(console.lines()).extracting(ConsoleLine::text).endsWith("debian login:");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(raw);
        assertThatThrownBy(() -> console.await(Pattern.compile("never"), 0, Duration.ofSeconds(30), () -> "QEMU exit 0"))
                .isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("test machine stopped (QEMU exit 0) before its console showed /never/")
                .hasMessageEndingWith("Linux version 6.1\ndebian login:");
    }

    @Test
    void noMatchInTimeNamesThePatternAndTheTail() throws Exception {
        PipedOutputStream machine = new PipedOutputStream();
        SerialConsole console = new SerialConsole("slow machine", new PipedInputStream(machine), null, System.nanoTime());
        machine.write("booting\n".getBytes(StandardCharsets.UTF_8));
        machine.flush();
        assertThatThrownBy(() -> console.await(Pattern.compile("login:"), 0, Duration.ofMillis(300), () -> "running"))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("slow machine: no console line matched /login:/ within PT0.3S; console tail:\nbooting");
        machine.close();
        console.join(Duration.ofSeconds(30));
    }
}
