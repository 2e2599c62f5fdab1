package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.internal.Processes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Processes#stream}: lines reach their consumer as they come, the last ones are kept, a missing program is named. */
class ProcessesStreamTest {

    @Test
    void eachLineReachesItsStreamAndTheLastOnesAreKept() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        var pb = new ProcessBuilder("sh", "-c", "for i in 1 2 3 4 5; do echo out$i; done; echo err1 >&2; exit 3");
        Processes.Result r = Processes.stream(pb, null, out::add, err::add, 2);
        assertThat(out).containsExactly("out1", "out2", "out3", "out4", "out5");
        assertThat(err).containsExactly("err1");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.output().lines().toList()).hasSize(2).contains("err1");
        assertThatThrownBy(r::requireSuccess).isInstanceOf(IOException.class).hasMessageContaining("exited with 3");
    }

    @Test
    void aMissingProgramIsNamed() {
        assertThatThrownBy(() -> Processes.stream(new ProcessBuilder("no-such-program-nb4j"), null, l -> { }, l -> { }, 10))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot run 'no-such-program-nb4j'");
    }
}
