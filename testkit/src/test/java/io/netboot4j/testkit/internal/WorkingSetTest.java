package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkingSetTest {

    @Test
    void theRecordedBootReadsBusyboxAndWritesTheNodesOwnFile() {
        WorkingSet set = WorkingSet.recorded();
        assertThat(set.calls()).hasSizeGreaterThan(50);
        assertThat(set.calls().getFirst()).isEqualTo(new WorkingSet.Call(WorkingSet.Op.FSINFO, "/", 0, 0, null));
        long read = set.calls().stream().filter(c -> c.op() == WorkingSet.Op.READ).mapToLong(WorkingSet.Call::count).sum();
        assertThat(read).as("bytes READ").isBetween(1_500_000L, 3_000_000L);
        assertThat(set.calls()).extracting(WorkingSet.Call::op)
                .contains(WorkingSet.Op.LOOKUP, WorkingSet.Op.ACCESS, WorkingSet.Op.GETATTR, WorkingSet.Op.MKDIR, WorkingSet.Op.CREATE,
                        WorkingSet.Op.WRITE, WorkingSet.Op.COMMIT, WorkingSet.Op.RENAME);
        assertThat(set.calls().getLast().forNode("node7").path()).isEqualTo("/nodes/node7");
    }

    @Test
    void aMalformedLineIsNamed() {
        var in = new ByteArrayInputStream("# c\nLOOKUP /etc\nREAD /bin/busybox zero 4096\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WorkingSet.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("working set line 3 is malformed: 'READ /bin/busybox zero 4096'");
    }

    @Test
    void renameCarriesItsTarget() throws Exception {
        var in = new ByteArrayInputStream("RENAME /nodes/.{node}.tmp /nodes/{node}\n".getBytes(StandardCharsets.UTF_8));
        WorkingSet.Call c = WorkingSet.parse(in).calls().getFirst().forNode("n1");
        assertThat(c.path()).isEqualTo("/nodes/.n1.tmp");
        assertThat(c.target()).isEqualTo("/nodes/n1");
    }
}
