package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.testkit.internal.SerialConsole;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFilesTest {

    @Test
    void consoleLinesLoseEscapesAndKeepWhatCarriageReturnsSeparate() {
        assertThat(SerialConsole.clean("\u001B[0;1miPXE 1.0.0\u001B[0m -- Open Source\r")).isEqualTo("iPXE 1.0.0 -- Open Source");
        assertThat(SerialConsole.clean("Press Ctrl-B...   \r   net0: 52:54:00:12:34:01\r")).isEqualTo("Press Ctrl-B... net0: 52:54:00:12:34:01");
        assertThat(SerialConsole.clean("\u001B[?7l\u001B[2J[    0.000000] Linux version 6.1")).isEqualTo("[    0.000000] Linux version 6.1");
        assertThat(SerialConsole.clean("debian login: ")).isEqualTo("debian login:");
        assertThat(SerialConsole.clean("\u0007\u0000")).isEmpty();
    }

    @Test
    void kernelVersionsCompareNumberByNumber() {
        assertThat(DebianKernel.compareVersions("6.1.0-9-amd64", "6.1.0-56-amd64")).isNegative();
        assertThat(DebianKernel.compareVersions("6.10.0-1-amd64", "6.1.0-56-amd64")).isPositive();
        assertThat(DebianKernel.compareVersions("6.1.0-56-amd64", "6.1.0-56-amd64")).isZero();
    }

    @Test
    void findsTheNewestKernelThatHasAnInitrd(@TempDir Path boot) throws Exception {
        Files.writeString(boot.resolve("vmlinuz-6.1.0-9-amd64"), "k");
        Files.writeString(boot.resolve("initrd.img-6.1.0-9-amd64"), "i");
        Files.writeString(boot.resolve("vmlinuz-6.1.0-56-amd64"), "k");
        Files.writeString(boot.resolve("initrd.img-6.1.0-56-amd64"), "i");
        Files.writeString(boot.resolve("vmlinuz-6.12.0-1-amd64"), "k without initrd");
        assertThat(DebianKernel.find(boot)).get().extracting(DebianKernel::version).isEqualTo("6.1.0-56-amd64");
        assertThat(DebianKernel.find(boot.resolve("none"))).isEmpty();
    }

    @Test
    void busyboxRootHasInitAppletsAndAReportFolder(@TempDir Path dir) throws Exception {
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        BusyboxRoot root = BusyboxRoot.create(dir.resolve("root"));
        Path r = root.path();
        assertThat(r.resolve("bin/busybox")).isExecutable();
        assertThat(BusyboxRoot.isStatic(r.resolve("bin/busybox"))).isTrue();
        assertThat(Files.readSymbolicLink(r.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(r.resolve("bin/poweroff")).exists();
        assertThat(Files.readString(r.resolve("sbin/init"))).startsWith("#!/bin/busybox sh").contains(BusyboxRoot.STARTED)
                .contains(BusyboxRoot.WROTE);
        assertThat(r.resolve("sbin/init")).isExecutable();
        for (String d : new String[] {"proc", "sys", "dev", "run", "nodes"}) {
            assertThat(r.resolve(d)).isDirectory();
        }
        assertThat(root.reports()).isEmpty();
        // A report as /sbin/init writes it.
        Files.writeString(r.resolve("nodes/node1"), "name=node1\naddress=10.1.0.11\nhostname=node1\nuptime=20.5\n"
                + "cmdline=console=ttyS0 root=/dev/nfs node_id=11\n");
        Files.writeString(r.resolve("nodes/.node2.tmp"), "name=node2\n");
        assertThat(root.reports()).containsOnlyKeys("node1");
        assertThat(root.report("node1")).get().satisfies(rep -> {
            assertThat(rep.address()).isEqualTo("10.1.0.11");
            assertThat(rep.kernelArguments()).containsExactly("console=ttyS0", "root=/dev/nfs", "node_id=11");
        });
        root.clearReports();
        assertThat(root.reports()).isEmpty();
    }

    @Test
    void aShellScriptIsNotAStaticExecutable(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("x.sh"), "#!/bin/sh\n");
        assertThat(BusyboxRoot.isStatic(script)).isFalse();
        assumeTrue(Files.exists(Path.of("/bin/ls")));
        assertThat(BusyboxRoot.isStatic(Path.of("/bin/ls"))).isFalse();
    }
}
