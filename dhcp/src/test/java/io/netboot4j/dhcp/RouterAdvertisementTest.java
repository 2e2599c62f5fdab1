package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.dhcp.internal.RouterAdvertiser;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPv6 Router Advertisement responder against the Linux kernel's own IPv6 stack and
 * rdisc6 (Debian ndisc6), in network namespaces: hosts that accept router advertisements
 * hear "no default router here" and configure nothing.
 */
@Tag("integration")
class RouterAdvertisementTest {

    @TempDir
    Path tmp;

    @Test
    void linkLocalHostsHearNoRouterAndConfigureNothing() throws Exception {
        TestNet.assumeUdhcpc();
        assumeTrue(Commands.exists("rdisc6"), "needs rdisc6 from the Debian package ndisc6");
        try (TestNet net = new TestNet()) {
            NetworkNamespace rdisc = net.client("br0", TestClusters.NODE1_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam());
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, new TestClusters.Events()))) {
                waitFor(() -> !linkLocal(net.head, "br0").isEmpty() && !tentative(net.head, "br0"), "br0 link-local address");
                server.start();
                RouterAdvertiser ra = server.routerAdvertiser();
                assertThat(ra).as("responder started").isNotNull();

                // rdisc6 needs the client's own link-local address, usable once duplicate address
                // detection is over (before that: "Cannot assign requested address").
                waitFor(() -> !linkLocal(rdisc, "eth0").isEmpty() && !tentative(rdisc, "eth0"), "eth0 link-local address");
                // rdisc6 sends Router Solicitations and prints the advertisement it gets.
                CommandResult r = rdisc.exec(Duration.ofSeconds(20), "rdisc6", "-1", "-r", "5", "-w", "1000", "eth0");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output()).contains("Stateful address conf.    :           No",
                        "Stateful other conf.      :           No", "Router lifetime           :            0 (0x00000000) seconds")
                        .containsIgnoringCase("Source link-layer address: ")
                        .doesNotContain("Prefix").contains("from " + linkLocal(net.head, "br0"));

                // A host whose kernel accepts router advertisements, brought up now: the kernel's own
                // solicitations are answered, and it adds no address and no route from them.
                NetworkNamespace host = net.client("br0", TestClusters.NODE2_MAC);
                host.exec("sysctl", "-q", "-w", "net.ipv6.conf.eth0.accept_ra=2").check();
                host.ip("link", "set", "eth0", "down");
                host.ip("link", "set", "eth0", "up");
                long before = ra.counters().advertisements();
                waitFor(() -> ra.counters().advertisements() > before, "the kernel's router solicitation answered");
                Thread.sleep(500);
                String addresses = host.ip("-6", "addr", "show", "dev", "eth0").check().output();
                assertThat(addresses).contains("scope link").doesNotContain("scope global");
                String routes = host.ip("-6", "route", "show").check().output();
                assertThat(routes).doesNotContain("default");
                assertThat(host.exec("sysctl", "-n", "net.ipv6.conf.eth0.accept_ra").check().output().trim()).isEqualTo("2");
                assertThat(ra.counters().malformed()).isZero();
                assertThat(ra.counters().sendErrors()).isZero();
            }
        }
    }

    @Test
    void switchedOffNoResponderRuns() throws Exception {
        TestNet.assumeUdhcpc();
        try (TestNet net = new TestNet()) {
            net.client("br0", TestClusters.NODE1_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam(),
                    b -> b.with(DhcpSettings.builder().routerAdvertisements(false).build()));
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, new TestClusters.Events()))) {
                server.start();
                assertThat(server.routerAdvertiser()).isNull();
            }
        }
    }

    private static String linkLocal(NetworkNamespace ns, String dev) {
        for (String line : ns.ip("-6", "addr", "show", "dev", dev, "scope", "link").output().split("\n")) {
            line = line.trim();
            if (line.startsWith("inet6 fe80:")) {
                return line.substring(6, line.indexOf('/'));
            }
        }
        return "";
    }

    private static boolean tentative(NetworkNamespace ns, String dev) {
        return ns.ip("-6", "addr", "show", "dev", dev, "tentative").output().contains("inet6");
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
