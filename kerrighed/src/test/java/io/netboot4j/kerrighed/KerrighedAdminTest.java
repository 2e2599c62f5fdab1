package io.netboot4j.kerrighed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The administration API against scripts that answer in krgadm's and krgcapset's formats,
 * run locally and over SSH to an in-process Apache MINA SSHD server.
 */
@Tag("integration")
class KerrighedAdminTest {

    private static final String PASSWORD = "s3cret-Kerrighed-pw";
    private static TestSshServer server;
    private static SshCommandRunner ssh;

    @TempDir
    Path tools;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestSshServer(PASSWORD);
        ssh = SshCommandRunner.to("127.0.0.1").port(server.port()).user(TestSshServer.USER).password(PASSWORD)
                .hostKey(server.hostKey.getPublic()).open();
    }

    @AfterAll
    static void stopServer() throws IOException {
        ssh.close();
        server.close();
    }

    @BeforeEach
    void install() throws IOException {
        FakeTools.install(tools);
    }

    static Stream<String> runners() {
        return Stream.of("local", "ssh");
    }

    private KerrighedAdmin admin(String runner) {
        CommandRunner r = runner.equals("local") ? CommandRunner.local() : ssh;
        return new KerrighedAdmin(r, tools.resolve("krgadm").toString(), tools.resolve("krgcapset").toString(), Duration.ofMillis(20));
    }

    @ParameterizedTest
    @MethodSource("runners")
    void nodesParsesTheGuidesFormat(String runner) throws Exception {
        Files.writeString(tools.resolve("polls"), "5");
        assertThat(admin(runner).nodes()).containsExactly(new KrgNode(101, 1), new KrgNode(102, 1), new KrgNode(103, 1),
                new KrgNode(104, 1), new KrgNode(105, 1), new KrgNode(106, 1));
        assertThat(Files.readString(tools.resolve("calls"))).isEqualTo("krgadm nodes\n");
    }

    @ParameterizedTest
    @MethodSource("runners")
    void awaitNodesPollsUntilEveryNodeOfTheClusterIsListed(String runner) throws Exception {
        List<KrgNode> answer = admin(runner).awaitNodes(Guide.cluster(), Duration.ofMinutes(2));
        assertThat(answer).extracting(KrgNode::toString).containsExactly("101:1", "102:1", "103:1", "104:1", "105:1", "106:1");
        assertThat(Files.readString(tools.resolve("calls")).lines()).hasSize(6).containsOnly("krgadm nodes");
    }

    @ParameterizedTest
    @MethodSource("runners")
    void awaitNodesNamesTheMissingNodes(String runner) throws Exception {
        Files.writeString(tools.resolve("size"), "4");
        Files.writeString(tools.resolve("polls"), "10"); // all four present from the first answer on
        assertThatThrownBy(() -> admin(runner).awaitNodes(Guide.cluster(), Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("still lacks 105:1 106:1; last answer: '101:1 102:1 103:1 104:1'");
    }

    @ParameterizedTest
    @MethodSource("runners")
    void awaitNodesReportsTheLastToolFailure(String runner) throws Exception {
        Files.writeString(tools.resolve("no-kerrighed"), "");
        assertThatThrownBy(() -> admin(runner).awaitNodes(List.of(new KrgNode(101, 1)), Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("still lacks 101:1")
                .hasMessageContaining("Must be run inside a Kerrighed container")
                .cause().isInstanceOf(CommandFailedException.class);
    }

    @ParameterizedTest
    @MethodSource("runners")
    void clusterStartAndStatus(String runner) throws Exception {
        KerrighedAdmin admin = admin(runner);
        assertThat(admin.clusterStatus()).isEqualTo(new ClusterStatus(false, 0, "status: down"));
        admin.clusterStart();
        assertThat(admin.clusterStatus()).isEqualTo(new ClusterStatus(true, 6, "status: up on 6 nodes"));
        assertThatThrownBy(admin::clusterStart).isInstanceOfSatisfying(CommandFailedException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.command()).endsWith("krgadm cluster start");
            assertThat(e.getMessage()).contains("krgadm cluster start` (" + (runner.equals("local") ? "local" : "ssh krg@127.0.0.1:"))
                    .contains("exited with 1; no output");
        });
    }

    @ParameterizedTest
    @MethodSource("runners")
    void toolErrorsCarryCommandExitCodeAndOutput(String runner) throws Exception {
        Files.writeString(tools.resolve("no-kerrighed"), "");
        assertThatThrownBy(() -> admin(runner).nodes()).isInstanceOfSatisfying(CommandFailedException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.command()).isEqualTo(tools.resolve("krgadm") + " nodes");
            assertThat(e.output()).isEqualTo("Must be run inside a Kerrighed container: No such file or directory");
            assertThat(e.getMessage()).endsWith("exited with 1; output tail:\nMust be run inside a Kerrighed container: No such file or directory");
        });
    }

    @ParameterizedTest
    @MethodSource("runners")
    void capabilitiesAreReadAndCanMigrateGranted(String runner) throws Exception {
        KerrighedAdmin admin = admin(runner);
        KrgCapabilities caps = admin.capabilities();
        assertThat(caps.permitted()).containsExactlyInAnyOrder("CHANGE_KERRIGHED_CAP", "CAN_MIGRATE", "DISTANT_FORK",
                "FORK_DELAY", "CHECKPOINTABLE");
        assertThat(caps.effective()).containsExactly("CHANGE_KERRIGHED_CAP");
        assertThat(caps.canMigrate()).isFalse();
        assertThat(caps.childrenCanMigrate()).isFalse();

        admin.allowMigration(1234);
        assertThat(admin.capabilities(1234).canMigrate()).isTrue();
        assertThat(admin.capabilities(1234).childrenCanMigrate()).isFalse();
        admin.allowMigrationOfChildren(777);
        assertThat(admin.capabilities(777).childrenCanMigrate()).isTrue();
        assertThat(admin.capabilities(777).canMigrate()).isFalse();
        assertThat(Files.readString(tools.resolve("calls")).lines()).containsExactly(
                "krgcapset -s", "krgcapset -k 1234 -e +CAN_MIGRATE", "krgcapset -k 1234 -s", "krgcapset -k 1234 -s",
                "krgcapset -k 777 -d +CAN_MIGRATE", "krgcapset -k 777 -s", "krgcapset -k 777 -s");
    }

    @ParameterizedTest
    @MethodSource("runners")
    void capabilityFailuresThatExitZeroAreStillFailures(String runner) throws Exception {
        KerrighedAdmin admin = admin(runner);
        assertThatThrownBy(() -> admin.allowMigration(5353)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("reported 'Unable to set the capabilities of process 5353 (res is -1, errno 1)' (exit code 0)");
        // krgcapset asks a question on stdin; stdin is empty, so it gives up without changing anything.
        assertThatThrownBy(() -> admin.allowMigrationOfChildren(4242)).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("asked to confirm dropping CHANGE_KERRIGHED_CAP and changed nothing");
        assertThatThrownBy(() -> admin.capabilities(99999)).isInstanceOfSatisfying(CommandFailedException.class,
                e -> assertThat(e.exitCode()).isEqualTo(255));
        assertThatThrownBy(() -> admin.allowMigration(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyAuthenticationWorksAndWrongPasswordIsNotLogged() throws Exception {
        try (SshCommandRunner byKey = SshCommandRunner.to("127.0.0.1").port(server.port()).user(TestSshServer.USER)
                .key(server.clientKey).hostKey(server.hostKey.getPublic()).open()) {
            assertThat(byKey.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3").in(tools.toString())))
                    .satisfies(r -> {
                        assertThat(r.exitCode()).isEqualTo(3);
                        assertThat(r.stdout()).isEqualTo("out\n");
                        assertThat(r.stderr()).isEqualTo("err\n");
                    });
            assertThat(byKey.run(Command.of("pwd").in(tools.toString())).stdout().strip()).isEqualTo(tools.toString());
            assertThat(byKey.run(Command.of("sh", "-c", "echo \"$GREETING\"").with("GREETING", "it's a 'test'")).stdout())
                    .isEqualTo("it's a 'test'\n");
        }
        String wrong = "wrong-password-xyz";
        var builder = SshCommandRunner.to("127.0.0.1").port(server.port()).user(TestSshServer.USER).password(wrong)
                .timeout(Duration.ofSeconds(10));
        assertThat(builder.toString()).doesNotContain(wrong).contains("(password)");
        assertThatThrownBy(builder::open).isInstanceOf(IOException.class)
                .hasMessageStartingWith("ssh krg@127.0.0.1:" + server.port() + ": cannot connect and authenticate")
                .message().doesNotContain(wrong);
    }

    @Test
    void otherHostKeyIsRefused() throws Exception {
        var other = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThatThrownBy(() -> SshCommandRunner.to("127.0.0.1").port(server.port()).user(TestSshServer.USER)
                .password(PASSWORD).hostKey(other.getPublic()).timeout(Duration.ofSeconds(10)).open())
                .isInstanceOf(IOException.class);
    }
}
