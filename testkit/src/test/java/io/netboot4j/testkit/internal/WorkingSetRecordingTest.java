package io.netboot4j.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded NFS server recorded during a boot, made into a working set every simulated node can replay. */
class WorkingSetRecordingTest {

    @TempDir
    Path tmp;

    @Test
    void theNodesCallsBecomeCallsOnItsOwnCopiesOfWhatItChangesAndTheLayoutOfTheRootBefore() throws Exception {
        Path root = tmp.resolve("before");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("var/lib/systemd"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.write(root.resolve("usr/lib/libc.so"), new byte[10000]);
        Files.write(root.resolve("var/lib/systemd/random-seed"), new byte[32]);
        List<String> recorded = List.of(
                "10.0.0.11 0 FSINFO /",
                "10.0.0.11 0 LOOKUP /lib",
                "10.0.0.11 0 READLINK /lib",
                "10.0.0.11 0 LOOKUP /usr",
                "10.0.0.11 0 LOOKUP /usr/lib",
                "10.0.0.11 0 LOOKUP /usr/lib/libc.so",
                "10.0.0.11 0 READ /usr/lib/libc.so 0 4096",
                "10.0.0.11 0 READ /usr/lib/libc.so 0 8192",
                "10.0.0.11 0 GETATTR /usr/lib/libc.so",
                "10.0.0.11 0 GETATTR /usr/lib/libc.so",
                "10.0.0.11 2 LOOKUP /etc/node7.conf",
                "10.0.0.11 13 ACCESS /etc",
                "10.0.0.11 0 FSSTAT /",
                "10.0.0.12 0 GETATTR /",
                "10.0.0.11 0 LOOKUP /var/lib/systemd/random-seed",
                "10.0.0.11 0 READ /var/lib/systemd/random-seed 0 32",
                "10.0.0.11 0 WRITE /var/lib/systemd/random-seed 0 32",
                "10.0.0.11 0 MKDIR /var/log/journal/abc",
                "10.0.0.11 0 CREATE /var/log/journal/abc/system.journal",
                "10.0.0.11 0 WRITE /var/log/journal/abc/system.journal 0 4096",
                "10.0.0.11 0 GETATTR /var/log/journal/abc/system.journal",
                "10.0.0.11 0 MKDIR /tmp/.X11-unix");
        String text = WorkingSetRecording.convert(recorded, "10.0.0.11", "node7", root);
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).containsExactly(
                "LOOKUP /lib",
                "READLINK /lib",
                "LOOKUP /usr",
                "LOOKUP /usr/lib",
                "LOOKUP /usr/lib/libc.so",
                "READ /usr/lib/libc.so 0 4096",
                "READ /usr/lib/libc.so 4096 4096",
                "GETATTR /usr/lib/libc.so",
                "LOOKUP /etc/{node}.conf",
                "LOOKUP /var/lib/systemd/random-seed.{node}",
                "CREATE /var/lib/systemd/random-seed.{node}",
                "READ /var/lib/systemd/random-seed.{node} 0 32",
                "WRITE /var/lib/systemd/random-seed.{node} 0 32",
                "MKDIR /tmp/.X11-unix.{node}",
                "DIR /etc",
                "LINK /lib usr/lib",
                "DIR /tmp",
                "DIR /usr",
                "DIR /usr/lib",
                "FILE /usr/lib/libc.so 10000",
                "DIR /var",
                "DIR /var/lib",
                "DIR /var/lib/systemd");
        assertThat(text.lines().toList().getLast()).isEqualTo("# dropped while converting the recording: ACCESS failed 1; "
                + "CREATE of journald's persistent journal 1; FSSTAT (not replayed) 1; GETATTR of an entry that is not there 1; "
                + "GETATTR repeated 1; MKDIR of journald's persistent journal 1; "
                + "WRITE of journald's persistent journal 1;");

        WorkingSet set = WorkingSet.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        Path fresh = tmp.resolve("fresh");
        set.createIn(fresh);
        assertThat(Files.readSymbolicLink(fresh.resolve("lib"))).isEqualTo(Path.of("usr/lib"));
        assertThat(fresh.resolve("usr/lib/libc.so")).hasSize(10000);
        assertThat(fresh.resolve("var/lib/systemd")).isDirectory();
        set.createIn(fresh); // laid out already: kept
    }
}
