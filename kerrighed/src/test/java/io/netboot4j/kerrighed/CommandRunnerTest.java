package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

    @Test
    void localRunsInFolderWithEnvironment(@TempDir Path dir) throws Exception {
        CommandResult r = CommandRunner.local().run(Command.of("sh", "-c", "pwd; echo \"$X\"; echo oops >&2; exit 4")
                .in(dir.toString()).with("X", "forty two"));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo(dir + "\nforty two\n");
        assertThat(r.stderr()).isEqualTo("oops\n");
        assertThat(r.output()).isEqualTo(dir + "\nforty two\noops\n");
        assertThat(r.outputTail(1)).isEqualTo("oops");
        assertThat(r.where()).isEqualTo("local");
        assertThatThrownBy(r::orThrow).isInstanceOf(CommandFailedException.class)
                .hasMessage("`sh -c 'pwd; echo \"$X\"; echo oops >&2; exit 4'` in " + dir + " (local) exited with 4; output tail:\n"
                        + dir + "\nforty two\noops");
    }

    @Test
    void stdinIsEmpty() throws Exception {
        CommandResult r = CommandRunner.local().run(Command.of("sh", "-c", "read x; echo \"read=$? [$x]\""));
        assertThat(r.stdout()).isEqualTo("read=1 []\n");
    }

    @Test
    void commandOverItsLimitIsStopped() throws Exception {
        CommandResult r = CommandRunner.local().run(Command.of("sleep", "60").timeout(Duration.ofMillis(200)));
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(new CommandFailedException(r, null)).hasMessage("`sleep 60` (local) was stopped at its time limit of PT0.2S; no output");
    }

    @Test
    void longOutputKeepsItsTail() throws Exception {
        CommandResult r = CommandRunner.local().run(Command.of("sh", "-c", "seq 1 400000"));
        assertThat(r.stdout()).startsWith("[... earlier output dropped ...]\n").endsWith("\n399999\n400000\n");
        assertThat(r.stdout().length()).isLessThanOrEqualTo(CommandResult.KEPT_CHARACTERS + 64);
    }

    @Test
    void shellScriptQuotes() {
        Command c = Command.of("make", "kernel", "it's", "a b", "").in("/usr/src/kerrighed 2.4.1").with("CC", "gcc-3.3");
        assertThat(c.shellScript()).isEqualTo("cd '/usr/src/kerrighed 2.4.1' && exec env CC=gcc-3.3 make kernel 'it'\\''s' 'a b' ''");
        assertThat(c.commandLine()).isEqualTo("make kernel 'it'\\''s' 'a b' ''");
        assertThat(Command.of("ls")).hasToString("ls");
        assertThatThrownBy(() -> Command.of()).hasMessage("a command needs a program");
        assertThatThrownBy(() -> Command.of("ls").in("relative")).hasMessage("working folder 'relative' must be absolute");
        assertThatThrownBy(() -> Command.of("ls").with("A-B", "x")).hasMessage("environment variable name 'A-B' is not a shell name");
        assertThatThrownBy(() -> new Command(List.of("ls"), Optional.empty(), Map.of(), Duration.ZERO))
                .hasMessage("timeout PT0S must be positive");
    }
}
