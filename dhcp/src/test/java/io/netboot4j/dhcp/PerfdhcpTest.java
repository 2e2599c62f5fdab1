package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.MacAddress;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kea's perfdhcp (Debian kea-admin) runs full DORA exchanges for 100 nodes: none lost. */
@Tag("integration")
class PerfdhcpTest {

    static final int NODES = 100;
    static final int EXCHANGES = 1000;

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("perfdhcp"), "needs perfdhcp from the Debian package kea-admin");
    }

    @Test
    void everyExchangeCompletes() throws Exception {
        try (TestNet net = new TestNet()) {
            NetworkNamespace tester = net.client("br0", "02:00:00:00:ee:01");
            // perfdhcp acts as a relay agent at 10.77.0.50: giaddr set, replies unicast to it.
            tester.ip("addr", "add", "10.77.0.50/24", "dev", "eth0");
            Cluster cluster = Cluster.builder("perf")
                    .network(n -> n.interfaceName("br0").subnet("10.77.0.0/24").server("10.77.0.1"))
                    .nodes("node%03d", NODES, "02:00:00:01:00:00", "10.77.0.100")
                    .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                    .rootFilesystem(r -> r.path("/nfsroot/perf"))
                    .networkSeam(net.head.seam())
                    .build();
            List<String> macs = new ArrayList<>();
            cluster.nodes().forEach(n -> macs.add(n.mac().toString()));
            Path macFile = tmp.resolve("macs");
            Files.write(macFile, macs);
            TestClusters.Events events = new TestClusters.Events();
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                CommandResult r = tester.exec(Duration.ofSeconds(60), "perfdhcp", "-4", "-l", "10.77.0.50", "-r", "250",
                        "-n", String.valueOf(EXCHANGES), "-M", macFile.toString(), "-d", "2", "-W", "2000000", "10.77.0.1");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(numbers(r.output(), "sent packets")).as(r.output()).containsExactly((long) EXCHANGES, (long) EXCHANGES);
                assertThat(numbers(r.output(), "received packets")).containsExactly((long) EXCHANGES, (long) EXCHANGES);
                assertThat(numbers(r.output(), "drops")).containsExactly(0L, 0L);
                assertThat(numbers(r.output(), "rejected leases")).containsExactly(0L, 0L);
                assertThat(server.counters().offers()).isEqualTo(EXCHANGES);
                assertThat(server.counters().acks()).isEqualTo(EXCHANGES);
                assertThat(server.counters().malformed()).isZero();
                assertThat(events.all).allMatch(e -> e.mac().map(m -> macs.contains(m.toString())).orElse(false));
                assertThat(MacAddress.parse(macs.getFirst())).isNotNull();
            }
        }
    }

    static List<Long> numbers(String output, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + ": (\\d+)").matcher(output);
        List<Long> out = new ArrayList<>();
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
