package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void theDebianBootReadsItsFilesWithinTheSizesItLaysOutAndChangesOnlyTheNodesOwnEntries(@TempDir Path tmp) throws Exception {
        WorkingSet set = WorkingSet.debianBoot();
        assertThat(set.calls()).hasSizeGreaterThan(3000);
        long read = set.calls().stream().filter(c -> c.op() == WorkingSet.Op.READ).mapToLong(WorkingSet.Call::count).sum();
        assertThat(read).as("bytes READ").isBetween(20_000_000L, 30_000_000L);
        assertThat(set.calls()).extracting(WorkingSet.Call::op).contains(WorkingSet.Op.READLINK, WorkingSet.Op.READDIRPLUS,
                WorkingSet.Op.CREATE, WorkingSet.Op.WRITE, WorkingSet.Op.MKDIR);
        assertThat(set.calls()).filteredOn(c -> EnumSet.of(WorkingSet.Op.CREATE, WorkingSet.Op.WRITE, WorkingSet.Op.MKDIR,
                WorkingSet.Op.SETATTR, WorkingSet.Op.COMMIT, WorkingSet.Op.RENAME, WorkingSet.Op.REMOVE).contains(c.op()))
                .allSatisfy(c -> assertThat(c.path()).endsWith(".{node}"));
        set.createIn(tmp);
        for (WorkingSet.Call c : set.calls()) {
            if (c.op() == WorkingSet.Op.READ && !c.path().contains("{node}")) {
                assertThat(Files.size(tmp.resolve(c.path().substring(1)))).as(c.path()).isGreaterThanOrEqualTo(c.offset() + c.count());
            }
        }
        assertThat(Files.readSymbolicLink(tmp.resolve("lib"))).isEqualTo(Path.of("usr/lib"));
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
