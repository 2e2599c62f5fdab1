package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH runner and the administration API against OpenSSH's own sshd (Debian package
 * openssh-server), started by the test on 127.0.0.1 with its own configuration, host key
 * and authorized key; key authentication, host key checked through a known_hosts file.
 */
@Tag("integration")
class OpenSshTest {

    @TempDir
    Path tmp;

    private Process sshd;
    private int port;

    @BeforeEach
    void startSshd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "needs /usr/sbin/sshd from Debian package openssh-server");
        assumeTrue("root".equals(System.getProperty("user.name")), "sshd with its own configuration needs root");
        keygen(tmp.resolve("host_key"));
        keygen(tmp.resolve("id_ecdsa"));
        Files.copy(tmp.resolve("id_ecdsa.pub"), tmp.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd"));
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(tmp.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + tmp.resolve("host_key"),
                "AuthorizedKeysFile " + tmp.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PidFile " + tmp.resolve("sshd.pid"),
                ""));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", tmp.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                break;
            } catch (IOException e) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(tmp.resolve("sshd.log")), e);
                }
                Thread.sleep(50);
            }
        }
        String[] hostKey = Files.readString(tmp.resolve("host_key.pub")).strip().split("\\s+");
        Files.writeString(tmp.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey[0] + " " + hostKey[1] + "\n");
    }

    private static void keygen(Path file) throws Exception {
        CommandRunner.local().run(Command.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", file.toString())).orThrow();
    }

    @AfterEach
    void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
    }

    private SshCommandRunner connect() throws IOException {
        return SshCommandRunner.to("127.0.0.1").port(port).user("root").identityFile(tmp.resolve("id_ecdsa"))
                .knownHosts(tmp.resolve("known_hosts")).timeout(Duration.ofSeconds(20)).open();
    }

    @Test
    void adminApiOverOpenSsh() throws Exception {
        Path tools = Files.createDirectories(tmp.resolve("tools"));
        FakeTools.install(tools);
        try (SshCommandRunner node = connect()) {
            KerrighedAdmin admin = new KerrighedAdmin(node, tools.resolve("krgadm").toString(),
                    tools.resolve("krgcapset").toString(), Duration.ofMillis(20));
            assertThat(admin.awaitNodes(Guide.cluster(), Duration.ofMinutes(1))).extracting(KrgNode::toString)
                    .containsExactly("101:1", "102:1", "103:1", "104:1", "105:1", "106:1");
            admin.clusterStart();
            assertThat(admin.clusterStatus().up()).isTrue();
            admin.allowMigrationOfChildren(4321);
            assertThat(admin.capabilities(4321).childrenCanMigrate()).isTrue();
            Files.writeString(tools.resolve("no-kerrighed"), "");
            assertThatThrownBy(admin::nodes).isInstanceOfSatisfying(CommandFailedException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(1);
                assertThat(e.output()).isEqualTo("Must be run inside a Kerrighed container: No such file or directory");
                assertThat(e.getMessage()).contains("(ssh root@127.0.0.1:" + port + ")");
            });
            CommandResult r = node.run(Command.of("sh", "-c", "pwd; echo \"$A\"; echo e >&2; exit 5").in(tools.toString()).with("A", "b c"));
            assertThat(List.of(r.exitCode(), r.stdout(), r.stderr())).containsExactly(5, tools + "\nb c\n", "e\n");
        }
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        Files.writeString(tmp.resolve("known_hosts"), "");
        assertThatThrownBy(this::connect).isInstanceOf(IOException.class)
                .hasMessageStartingWith("ssh root@127.0.0.1:" + port + ": cannot connect and authenticate");
    }
}
