package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterBuilderTest {

    @Test
    void expressesTheGuidesCluster() {
        Cluster c = GuideCluster.builder().build();
        assertThat(c.nodes()).extracting(Node::hostname)
                .containsExactly("kerrighednode1", "kerrighednode2", "kerrighednode3", "kerrighednode4", "kerrighednode5", "kerrighednode6");
        assertThat(c.nodes()).extracting(n -> n.mac().toUpperString())
                .containsExactly("02:2D:61:C7:17:86", "02:2D:61:C7:17:87", "02:2D:61:C7:17:88",
                        "02:2D:61:C7:17:89", "02:2D:61:C7:17:8A", "02:2D:61:C7:17:8B");
        assertThat(c.nodes()).extracting(n -> Ipv4.format(n.address()))
                .containsExactly("192.168.1.101", "192.168.1.102", "192.168.1.103", "192.168.1.104", "192.168.1.105", "192.168.1.106");
        assertThat(c.network().router()).isEqualTo(Ipv4.parse("192.168.1.1"));
        assertThat(c.network().dnsServers()).containsExactly(Ipv4.parse("192.168.1.1"));
        assertThat(c.network().broadcast()).isEqualTo(Ipv4.parse("192.168.1.255"));
        assertThat(c.network().serverName()).hasToString("kerrighedserver");
        assertThat(c.ports()).isEqualTo(ServicePorts.DEFAULTS);
        assertThat(c.kernelArguments(c.nodes().getFirst())).containsExactly(
                "console=tty1", "root=/dev/nfs", "nfsroot=192.168.1.1:/nfsroot/kerrighed,vers=3,tcp", "ip=dhcp", "rw");
        assertThat(c.rootFilesystem().allExportOptions()).containsExactly("rw", "no_root_squash", "no_subtree_check");
    }

    @Test
    void theGuidesVerbatimGroupMacsAreAProblemUnlessAllowed() {
        ClusterBuilder verbatim = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1"))
                .node("kerrighednode1", "01:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed"));
        var e = catchThrowableOfType(ClusterConfigException.class, verbatim::build);
        assertThat(e.problems()).containsExactly("node kerrighednode1 has MAC address 01:2d:61:c7:17:86, a group (multicast) "
                + "address that no network card has: give the card's real address, or call allowGroupMacAddresses() to render files only");
        assertThat(verbatim.allowGroupMacAddresses().build().nodes()).hasSize(1);
    }

    @Test
    void buildListsEveryProblemAtOnce() {
        ClusterBuilder b = Cluster.builder("bad")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1").router("10.0.0.1"))
                .node("a", "52:54:00:00:00:01", "192.168.1.10")
                .node("a", "52:54:00:00:00:01", "192.168.1.10")
                .node("b", "52:54:00:00:00:02", "192.168.2.10")
                .node("c", "52:54:00:00:00:03", "192.168.1.0")
                .node("d", "52:54:00:00:00:04", "192.168.1.255")
                .node("e", "52:54:00:00:00:05", "192.168.1.1")
                .node("badserver", "52:54:00:00:00:06", "192.168.1.11")
                .rootFilesystem(r -> r.path("/srv/root").exportOptions("root_squash", "no_root_squash", "bogus", "anonuid=x"))
                .rootExport("no-such-export");
        var e = catchThrowableOfType(ClusterConfigException.class, b::build);
        assertThat(e.problems()).containsExactly(
                "router address 10.0.0.1 is outside the subnet 192.168.1.0/24",
                "duplicate host name a",
                "duplicate MAC address 52:54:00:00:00:01: a and a",
                "duplicate address 192.168.1.10: a and a",
                "node b address 192.168.2.10 is outside the subnet 192.168.1.0/24",
                "node c address 192.168.1.0 is the network address of 192.168.1.0/24",
                "node d address 192.168.1.255 is the broadcast address of 192.168.1.0/24",
                "node e address 192.168.1.1 is the server's own address",
                "node badserver has the server's name",
                "no kernel: call boot(b -> b.kernel(path))",
                "unknown export option 'bogus'; known: " + String.join(", ", RootFilesystem.KNOWN_EXPORT_OPTIONS),
                "export option 'anonuid=x' needs a numeric id, for example anonuid=65534",
                "export options root_squash and no_root_squash conflict",
                "rootExport provider 'no-such-export' is not available; available: none (is its netboot4j module on the class or module path?)");
        assertThat(e.getMessage()).startsWith("cluster 'bad' has 14 problems:\n  - router address 10.0.0.1");
    }

    @Test
    void anEmptyDescriptionNamesEachMissingPart() {
        var e = catchThrowableOfType(ClusterConfigException.class, () -> Cluster.builder("empty").build());
        assertThat(e.problems()).containsExactly(
                "no network: call network(n -> n.interfaceName(..).subnet(..).server(..))",
                "no nodes: add at least one with node(name, mac, address) or nodes(pattern, count, mac, address)",
                "no kernel: call boot(b -> b.kernel(path))",
                "no root filesystem: call rootFilesystem(r -> r.path(\"/nfsroot/...\"))");
        var n = catchThrowableOfType(ClusterConfigException.class, () -> Cluster.builder("x").network(x -> { }).build());
        assertThat(n.problems()).startsWith("network has no interface name: call interfaceName(\"eth0\")",
                "network has no subnet: call subnet(\"192.168.1.0/24\")",
                "network has no server address: call server(\"192.168.1.1\")");
    }

    @Test
    void serverOutsideOrOnTheEdgesOfTheSubnetIsAProblem() {
        var outside = catchThrowableOfType(ClusterConfigException.class, () -> Cluster.builder("k").network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.2.1"))
                .node("n1", "52:54:00:00:00:01", "192.168.1.10").boot(b -> b.kernel(Path.of("/k")))
                .rootFilesystem(r -> r.path("/r")).build());
        assertThat(outside.problems()).containsExactly("server address 192.168.2.1 is outside the subnet 192.168.1.0/24");
        var edge = catchThrowableOfType(ClusterConfigException.class, () -> Cluster.builder("k")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.255"))
                .node("n1", "52:54:00:00:00:01", "192.168.1.10").boot(b -> b.kernel(Path.of("/k")))
                .rootFilesystem(r -> r.path("/r")).build());
        assertThat(edge.problems()).containsExactly("server address 192.168.1.255 is the network or broadcast address of 192.168.1.0/24");
    }

    @Test
    void settersRejectMalformedValuesAtOnceNamingThem() {
        ClusterBuilder b = Cluster.builder("k");
        assertThatThrownBy(() -> b.node("node_1", "52:54:00:00:00:01", "192.168.1.10")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'node_1'");
        assertThatThrownBy(() -> b.node("n", "52:54:00:00:01", "192.168.1.10")).hasMessageContaining("'52:54:00:00:01'");
        assertThatThrownBy(() -> b.node("n", "52:54:00:00:00:01", "192.168.1.300")).hasMessageContaining("'192.168.1.300'");
        assertThatThrownBy(() -> b.network(n -> n.interfaceName("eth 0"))).hasMessageContaining("'eth 0'");
        assertThatThrownBy(() -> b.rootFilesystem(r -> r.path("relative/path"))).hasMessageContaining("'relative/path' must be absolute");
        assertThatThrownBy(() -> Cluster.builder("k").rootFilesystem(r -> r.path("/a b"))).hasMessageContaining("'/a b'");
        assertThatThrownBy(() -> Cluster.builder("k").boot(x -> x.append("a\u0001b"))).hasMessageContaining("control character");
        assertThatThrownBy(() -> Cluster.builder("k").boot(x -> x.biosBootFile("has space"))).hasMessageContaining("'has space'");
        assertThatThrownBy(() -> Cluster.builder("not.one.label")).hasMessageContaining("'not.one.label'");
        assertThatThrownBy(() -> b.nodes("node", 3, "52:54:00:00:00:01", "192.168.1.10")).hasMessageContaining("'node' must contain a %d");
        assertThatThrownBy(() -> b.nodes("node%d", 0, "52:54:00:00:00:01", "192.168.1.10")).hasMessageContaining("node count 0");
        assertThatThrownBy(() -> new ServicePorts(67, 68, 69, 2049, 20048, 70000)).hasMessageContaining("port 70000");
    }

    @Test
    void settingASingleValuedOptionTwiceIsAnIllegalState() {
        ClusterBuilder b = GuideCluster.builder();
        assertThatThrownBy(() -> b.network(n -> { })).isInstanceOf(IllegalStateException.class).hasMessage("network was already set");
        assertThatThrownBy(() -> b.boot(x -> { })).isInstanceOf(IllegalStateException.class).hasMessage("boot was already set");
        b.addressAllocation("embedded");
        assertThatThrownBy(() -> b.addressAllocation("kea")).isInstanceOf(IllegalStateException.class)
                .hasMessage("addressAllocation provider was already chosen (embedded)");
        b.with(new TestExtension(1));
        assertThatThrownBy(() -> b.with(new TestExtension(2))).hasMessage("extension test was already added");
    }

    @Test
    void aMissingProviderIsAnIllegalArgumentNamingTheOption() {
        assertThatThrownBy(() -> GuideCluster.builder().bootFiles(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bootFiles provider name must not be empty");
        assertThatThrownBy(() -> GuideCluster.builder().rootBuild((io.netboot4j.core.spi.RootBuildProvider) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rootBuild provider must not be null");
    }

    @Test
    void extensionsValidateAndAddKernelArguments() {
        Cluster c = GuideCluster.builder().with(new TestExtension(7)).build();
        assertThat(c.extension(TestExtension.class)).isPresent();
        assertThat(c.kernelArguments(c.nodes().get(2))).endsWith("test_id=103");
        var e = catchThrowableOfType(ClusterConfigException.class, () -> GuideCluster.builder().with(new TestExtension(0)).build());
        assertThat(e.problems()).containsExactly("test session 0 is outside 1-254");
    }

    @Test
    void nodeArgumentsComeLastAndToBuilderRoundTrips() {
        Cluster c = Cluster.builder("t").network(n -> n.interfaceName("br0").subnet("10.0.0.0/24").server("10.0.0.1"))
                .node("n1", "52:54:00:00:00:01", "10.0.0.10", "quiet", "loglevel=3 panic=10")
                .boot(b -> b.kernel(Path.of("/boot/vmlinuz")).initrd(Path.of("/boot/initrd.img")))
                .rootFilesystem(r -> r.path("/srv/root").readOnly().mountOptions("vers=3", "tcp", "nolock")).build();
        assertThat(c.kernelArguments(c.nodes().getFirst())).containsExactly(
                "root=/dev/nfs", "nfsroot=10.0.0.1:/srv/root,vers=3,tcp,nolock", "ip=dhcp", "ro", "quiet", "loglevel=3", "panic=10");
        assertThat(c.boot().initrdFileName()).contains("initrd.img");
        assertThat(c.network().serverName()).hasToString("tserver");
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(GuideCluster.builder().build().toBuilder().build()).isEqualTo(GuideCluster.builder().build());
    }

    record TestExtension(int session) implements ClusterExtension {
        @Override public String name() { return "test"; }
        @Override public void validate(Cluster cluster, List<String> problems) {
            if (session < 1 || session > 254) {
                problems.add("test session " + session + " is outside 1-254");
            }
        }
        @Override public List<String> kernelArguments(Cluster cluster, Node node) {
            return List.of("test_id=" + Ipv4.lastOctet(node.address()));
        }
    }
}
