package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.internal.StatusFeed;
import io.netboot4j.core.net.NetworkSeam;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Service nodes: one description split across head nodes, and the status feed that gathers their tables. */
class HeadNodesTest {

    private static ClusterBuilder twoSubnets(String main, String relayed) {
        return Cluster.builder("big")
                .network(n -> n.interfaceName("eth0").subnet(main).server(main.replace("0/24", "1"))
                        .relayedSubnet(relayed, relayed.replace("0/24", "1")))
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/big"));
    }

    private static Cluster whole() {
        return twoSubnets("10.1.0.0/24", "10.2.0.0/24")
                .node("a1", "02:00:00:00:01:01", "10.1.0.11")
                .node("a2", "02:00:00:00:01:02", "10.1.0.12")
                .node("b1", "02:00:00:00:02:01", "10.2.0.11")
                .with(HeadNodes.builder()
                        .head("head1", "10.1.0.1", "eth0", h -> h.subnet("10.1.0.0/24"))
                        .head("head2", "10.2.0.1", "ens3", h -> h.subnet("10.2.0.0/24").nodes("a2"))
                        .build())
                .build();
    }

    @Test
    void eachHeadStartsItsPartWithItsOwnNetwork() {
        Cluster whole = whole();
        HeadNodes heads = whole.extension(HeadNodes.class).orElseThrow();
        Cluster one = heads.part(whole, "head1");
        assertThat(one.nodes()).extracting(Node::hostname).containsExactly("a1");
        assertThat(one.network().server()).isEqualTo(Ipv4.parse("10.1.0.1"));
        assertThat(one.network().relayedSubnets()).isEmpty();
        assertThat(one.extension(HeadNodes.class)).isEmpty();
        Cluster two = heads.part(whole, "HEAD2");
        assertThat(two.nodes()).extracting(Node::hostname).containsExactly("a2", "b1");
        assertThat(two.network().interfaceName()).isEqualTo("ens3");
        assertThat(two.network().subnet()).hasToString("10.2.0.0/24");
        assertThat(two.network().server()).isEqualTo(Ipv4.parse("10.2.0.1"));
        assertThat(two.network().dnsServers()).containsExactly(Ipv4.parse("10.2.0.1"));
        assertThat(two.network().relayedSubnets()).singleElement()
                .satisfies(r -> assertThat(r.subnet()).hasToString("10.1.0.0/24"))
                .satisfies(r -> assertThat(r.relays()).containsExactly(Ipv4.parse("10.1.0.1")));
        assertThat(heads.headOf(whole.nodeByName("a2").orElseThrow())).get().extracting(HeadNode::name).isEqualTo("head2");
        assertThat(heads.collector()).isEqualTo("head1");
        assertThat(heads.collectorAddress()).isEqualTo(new InetSocketAddress(Ipv4.parse("10.1.0.1"), HeadNodes.DEFAULT_FEED_PORT));
        assertThatThrownBy(() -> heads.part(whole, "head3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cluster big has no head node 'head3'; its heads: [head1, head2]");
    }

    @Test
    void buildListsEveryProblemOfTheSplit() {
        assertThatThrownBy(() -> twoSubnets("10.1.0.0/24", "10.2.0.0/24")
                .node("a1", "02:00:00:00:01:01", "10.1.0.11")
                .node("b1", "02:00:00:00:02:01", "10.2.0.11")
                .node("b2", "02:00:00:00:02:02", "10.2.0.12")
                .with(HeadNodes.builder()
                        .head("head1", "10.9.0.1", "eth0", h -> h.subnet("10.1.0.0/24").nodes("b2", "zz"))
                        .head("head2", "10.2.0.11", "eth0", h -> h.subnet("10.1.0.0/24").subnet("10.7.0.0/24").nodes("b2"))
                        .head("head3", "10.2.0.255", "eth0", h -> h.nodes("a1"))
                        .collector("head9")
                        .build())
                .build())
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("collector 'head9' is not one of the head nodes [head1, head2, head3]")
                .hasMessageContaining("head node head1 address 10.9.0.1 is on no subnet of the cluster [10.1.0.0/24, 10.2.0.0/24]")
                .hasMessageContaining("head node head1 serves node zz, which is not a node of the cluster")
                .hasMessageContaining("head node head2 address 10.2.0.11 is the address of node b1")
                .hasMessageContaining("head node head2 serves subnet 10.7.0.0/24, which is not a subnet of the cluster")
                .hasMessageContaining("head node head3 address 10.2.0.255 is the network or broadcast address of 10.2.0.0/24")
                .hasMessageContaining("subnet 10.1.0.0/24 is served by several head nodes [head1, head2]")
                .hasMessageContaining("node b2 is named by several head nodes [head1, head2]")
                .hasMessageContaining("node b1 (10.2.0.11) is served by no head node: add its subnet or its name to one")
                .hasMessageContaining("head node head2 serves no node: give it a subnet or nodes, or leave it out");
    }

    @Test
    void aHeadServesANodeGroupWhateverItsSubnetAndThePartKeepsTheGroup() {
        Cluster whole = twoSubnets("10.1.0.0/24", "10.2.0.0/24")
                .node("a1", "02:00:00:00:01:01", "10.1.0.11")
                .node("a2", "02:00:00:00:01:02", "10.1.0.12")
                .node("b1", "02:00:00:00:02:01", "10.2.0.11")
                .group("gpu", b -> b.append("gpu=1"))
                .nodeGroup("a2", "gpu")
                .with(HeadNodes.builder()
                        .head("head1", "10.1.0.1", "eth0", h -> h.subnet("10.1.0.0/24"))
                        .head("head2", "10.2.0.1", "eth0", h -> h.subnet("10.2.0.0/24").group("gpu"))
                        .build())
                .build();
        HeadNodes heads = whole.extension(HeadNodes.class).orElseThrow();
        Cluster two = heads.part(whole, "head2");
        assertThat(two.nodes()).extracting(Node::hostname).containsExactly("a2", "b1");
        assertThat(two.group("gpu")).isPresent();
        assertThat(two.kernelArguments(two.nodeByName("a2").orElseThrow())).contains("gpu=1");
        assertThat(heads.part(whole, "head1").nodes()).extracting(Node::hostname).containsExactly("a1");
        assertThatThrownBy(() -> whole.toBuilder().with(HeadNodes.builder()
                        .head("head1", "10.1.0.1", "eth0", h -> h.subnet("10.1.0.0/24").group("gpu").group("cpu"))
                        .head("head2", "10.2.0.1", "eth0", h -> h.subnet("10.2.0.0/24").group("gpu"))
                        .build()).build())
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("head node head1 serves node group cpu, which is not a group of the cluster")
                .hasMessageContaining("node group gpu is served by several head nodes [head1, head2]");
    }

    @Test
    void theBuilderChecksEachArgumentAtOnce() {
        assertThatThrownBy(() -> HeadNodes.builder().head("head_1", "10.0.0.1", "eth0", h -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("head node name 'head_1' must be one RFC 1123 label");
        assertThatThrownBy(() -> HeadNodes.builder().head("h", "10.0.0.1", "eth0", h -> h.subnet("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeadNodes.builder().head("h", "10.0.0.1", "eth0", h -> { }).head("H", "10.0.0.2", "eth0", h -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("head node H was already added");
        assertThatThrownBy(() -> HeadNodes.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HeadNodes.builder().feedPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeadNodes.builder().reportInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFeedCodecRoundTripsAndSplitsLargeTables() {
        Instant t = Instant.ofEpochMilli(1_700_000_000_123L);
        List<StatusFeed.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new StatusFeed.Row("node" + i, NodeState.values()[i % NodeState.values().length], t,
                    i % 2 == 0 ? Optional.empty() : Optional.of(t.plusSeconds(i)), "sent vmlinuz\n(" + "x".repeat(i * 3) + ")"));
        }
        List<byte[]> datagrams = StatusFeed.encode("big", "head2", t, rows);
        assertThat(datagrams).hasSizeGreaterThan(1).allSatisfy(d -> assertThat(d.length).isLessThanOrEqualTo(StatusFeed.MAX_DATAGRAM));
        List<StatusFeed.Row> back = datagrams.stream().map(d -> StatusFeed.decode(d, d.length).orElseThrow())
                .peek(r -> assertThat(r.head()).isEqualTo("head2")).flatMap(r -> r.rows().stream()).toList();
        assertThat(back).isEqualTo(rows);
        assertThat(back.get(1).lastEvent()).startsWith("sent vmlinuz (").doesNotContain("\n");
        for (String bad : List.of("", "NB4J-STATUS 2 big head2 1\n", "NB4J-STATUS 1 big head2 x\n", "NB4J-STATUS 1 big head2 1\nn1 FLYING 1 - y\n",
                "NB4J-STATUS 1 big head2 1\nn1 UP 1 -\n", "NB4J-STATUS 1 b_g head2 1\n")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThat(StatusFeed.decode(b, b.length)).as(bad).isEmpty();
        }
    }

    /** The collector on loopback: heads at 127.0.0.1 and 127.0.1.1 (Linux answers for all of 127/8). */
    @Test
    void theCollectorTakesReportsOnlyFromTheHeadTheyNameAboutItsNodes() throws Exception {
        int port;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        int feedPort = port;
        Cluster whole = twoSubnets("127.0.0.0/24", "127.0.1.0/24")
                .node("a1", "02:00:00:00:01:01", "127.0.0.11")
                .node("b1", "02:00:00:00:02:01", "127.0.1.11")
                .with(HeadNodes.builder()
                        .head("head1", "127.0.0.1", "lo", h -> h.subnet("127.0.0.0/24"))
                        .head("head2", "127.0.1.1", "lo", h -> h.subnet("127.0.1.0/24"))
                        .feedPort(feedPort)
                        .build())
                .build();
        Instant t = Instant.now();
        try (StatusCollector collector = StatusCollector.start(whole, NetworkSeam.host());
             DatagramChannel head1 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel head2 = DatagramChannel.open().bind(new InetSocketAddress("127.0.1.1", 0))) {
            InetSocketAddress to = collector.address();
            // refused: head2's report from head1's address; head1 reporting head2's node; garbage
            send(head1, to, StatusFeed.encode("big", "head2", t, List.of(row("b1", NodeState.UP, t))).getFirst());
            send(head1, to, StatusFeed.encode("big", "head1", t, List.of(row("b1", NodeState.UP, t))).getFirst());
            send(head2, to, "hello".getBytes(StandardCharsets.UTF_8));
            send(head2, to, StatusFeed.encode("other", "head2", t, List.of(row("b1", NodeState.UP, t))).getFirst());
            // accepted
            send(head1, to, StatusFeed.encode("big", "head1", t, List.of(row("a1", NodeState.UP, t))).getFirst());
            send(head2, to, StatusFeed.encode("big", "head2", t, List.of(row("b1", NodeState.KERNEL, t))).getFirst());
            collector.awaitAll(NodeState.KERNEL, Duration.ofSeconds(10));
            // an older report of head2 does not undo the newer one
            send(head2, to, StatusFeed.encode("big", "head2", t.minusSeconds(5), List.of(row("b1", NodeState.OFF, t))).getFirst());
            send(head2, to, StatusFeed.encode("big", "head2", t.plusMillis(1), List.of(row("b1", NodeState.UP, t))).getFirst());
            collector.awaitAll(NodeState.UP, Duration.ofSeconds(10));
            assertThat(collector.status("b1").head()).isEqualTo("head2");
            assertThat(collector.status("b1").lastEvent()).isEqualTo("up (test)");
            assertThat(collector.lastHeard("head2")).isPresent();
            String table = collector.statusTable();
            assertThat(table.lines().toList()).hasSize(3).first().asString().startsWith("NODE").contains("HEAD").contains("REPORTED");
            assertThat(table).containsPattern("a1 .* head1 +UP").containsPattern("b1 .* head2 +UP");
            assertThat(collector.accepted()).isEqualTo(4);
            assertThat(collector.dropped()).isEqualTo(5);
        }
    }

    private static StatusFeed.Row row(String node, NodeState state, Instant t) {
        return new StatusFeed.Row(node, state, t, Optional.of(t), "up (test)");
    }

    private static void send(DatagramChannel from, InetSocketAddress to, byte[] data) throws Exception {
        from.send(ByteBuffer.wrap(data), to);
        Thread.sleep(20);
    }
}
