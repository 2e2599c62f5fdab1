package io.netboot4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netboot4j.core.ClusterBuilderTest.TestExtension;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.AddressAllocationProvider;
import io.netboot4j.core.spi.BootFileServiceProvider;
import io.netboot4j.core.spi.KernelBuildProvider;
import io.netboot4j.core.spi.RootBuildProvider;
import io.netboot4j.core.spi.RootExportProvider;
import io.netboot4j.core.spi.ServiceProvider;
import java.lang.reflect.Proxy;
import io.netboot4j.core.spi.ProviderChoice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Cluster#toBuilder()} changes every setting once; only a setting made twice in one builder is a conflict. */
class ToBuilderTest {

    private final Cluster guide = GuideCluster.builder().with(new TestExtension(1)).build();

    @Test
    void everySettingCanBeChangedThroughToBuilder() {
        AddressAllocationProvider dhcp = provider(AddressAllocationProvider.class);
        BootFileServiceProvider tftp = provider(BootFileServiceProvider.class);
        RootExportProvider nfs = provider(RootExportProvider.class);
        KernelBuildProvider kernel = provider(KernelBuildProvider.class);
        RootBuildProvider root = provider(RootBuildProvider.class);
        NetworkSeam seam = seam("another seam");
        Cluster changed = guide.toBuilder()
                .network(n -> n.interfaceName("br7").subnet("192.168.0.0/16").server("192.168.0.1").router("192.168.0.254")
                        .dnsServers("192.168.0.53").domain("other").serverName("head"))
                .removeNode("kerrighednode6")
                .node("kerrighednode1", "02:00:00:00:01:01", "192.168.2.101", "quiet")
                .nodes("extra%d", 2, "02:00:00:00:02:01", "192.168.3.1")
                .boot(b -> b.kernel(Path.of("/boot/other")).initrd(Path.of("/boot/initrd")).clearAppend().append("console=ttyS0")
                        .biosBootFile("lpxelinux.0").uefiBootFile("grubx64.efi").ipxeBootFile("x.ipxe"))
                .rootFilesystem(r -> r.path("/srv/other").readOnly().exportOptions("root_squash").mountOptions("vers=3", "udp"))
                .ports(ServicePorts.DEFAULTS.withTftp(6969))
                .budget(b -> b.transfers(7))
                .with(new TestExtension(2))
                .addressAllocation(dhcp)
                .bootFiles(tftp).rootExport(nfs).kernelBuild(kernel).rootBuild(root)
                .networkSeam(seam)
                .workFolder(Path.of("/tmp/other"))
                .build();
        assertThat(changed.network()).isEqualTo(new Network("br7", Ipv4Network.parse("192.168.0.0/16"), Ipv4.parse("192.168.0.1"),
                Ipv4.parse("192.168.0.254"), List.of(Ipv4.parse("192.168.0.53")), "other", new Hostname("head")));
        assertThat(changed.nodes()).extracting(Node::hostname).containsExactly("kerrighednode1", "kerrighednode2", "kerrighednode3",
                "kerrighednode4", "kerrighednode5", "extra1", "extra2");
        assertThat(changed.nodes().getFirst().address()).isEqualTo(Ipv4.parse("192.168.2.101"));
        assertThat(changed.nodes().getFirst().kernelArguments()).containsExactly("quiet");
        assertThat(changed.boot()).isEqualTo(new BootProfile(Path.of("/boot/other"), java.util.Optional.of(Path.of("/boot/initrd")),
                List.of("console=ttyS0"), "lpxelinux.0", "grubx64.efi", "x.ipxe", UefiChain.IPXE));
        assertThat(changed.rootFilesystem()).isEqualTo(new RootFilesystem(Path.of("/srv/other"), false, List.of("root_squash"),
                List.of("vers=3", "udp")));
        assertThat(changed.ports().tftp()).isEqualTo(6969);
        assertThat(changed.budget().transfers()).isEqualTo(7);
        assertThat(changed.toBuilder().budget(b -> b.connections(9)).build().budget().transfers()).isEqualTo(7);
        assertThat(changed.extension(TestExtension.class)).contains(new TestExtension(2));
        assertThat(changed.providers().addressAllocation()).isEqualTo(ProviderChoice.of(dhcp));
        assertThat(changed.providers().bootFiles()).isEqualTo(ProviderChoice.of(tftp));
        assertThat(changed.providers().rootExport()).isEqualTo(ProviderChoice.of(nfs));
        assertThat(changed.providers().kernelBuild()).isEqualTo(ProviderChoice.of(kernel));
        assertThat(changed.providers().rootBuild()).isEqualTo(ProviderChoice.of(root));
        assertThat(changed.networkSeam()).isSameAs(seam);
        assertThat(changed.workFolder()).contains(Path.of("/tmp/other"));
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    private static NetworkSeam seam(String description) {
        return new NetworkSeam() {
            @Override public <T> T call(java.util.concurrent.Callable<T> block) throws Exception { return block.call(); }
            @Override public String describe() { return description; }
        };
    }

    /** A provider of {@code type} named {@code mine} that creates nothing. */
    private static <P extends ServiceProvider<?>> P provider(Class<P> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> "mine";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "mine";
                    default -> null;
                }));
    }

    @Test
    void aPartialChangeKeepsTheRestAndDefaultsFollow() {
        Cluster c = Cluster.builder("t").network(n -> n.interfaceName("br0").subnet("10.0.0.0/24").server("10.0.0.1"))
                .node("n1", "52:54:00:00:00:01", "10.0.0.10")
                .boot(b -> b.kernel(Path.of("/k")).initrd(Path.of("/i")).append("console=tty1"))
                .rootFilesystem(r -> r.path("/r")).build();
        Cluster moved = c.toBuilder().network(n -> n.server("10.0.0.2")).boot(b -> b.noInitrd().append("quiet")).build();
        assertThat(moved.network().router()).isEqualTo(Ipv4.parse("10.0.0.2"));
        assertThat(moved.network().dnsServers()).containsExactly(Ipv4.parse("10.0.0.2"));
        assertThat(moved.network().interfaceName()).isEqualTo("br0");
        assertThat(moved.boot().initrd()).isEmpty();
        assertThat(moved.boot().append()).containsExactly("console=tty1", "quiet");
        assertThat(moved.nodes()).isEqualTo(c.nodes());
        assertThat(moved.rootFilesystem()).isEqualTo(c.rootFilesystem());
    }

    @Test
    void aSettingMadeTwiceInOneToBuilderChainIsStillAConflict() {
        ClusterBuilder b = guide.toBuilder().network(n -> n.server("192.168.1.2")).boot(x -> { }).rootFilesystem(r -> { })
                .ports(ServicePorts.DEFAULTS).budget(x -> { }).with(new TestExtension(3)).addressAllocation("kea").workFolder(Path.of("/tmp/x"))
                .networkSeam(NetworkSeam.host());
        assertThatThrownBy(() -> b.network(n -> { })).isInstanceOf(IllegalStateException.class).hasMessage("network was already set");
        assertThatThrownBy(() -> b.boot(x -> { })).hasMessage("boot was already set");
        assertThatThrownBy(() -> b.rootFilesystem(x -> { })).hasMessage("rootFilesystem was already set");
        assertThatThrownBy(() -> b.ports(ServicePorts.DEFAULTS)).hasMessage("ports was already set");
        assertThatThrownBy(() -> b.budget(x -> { })).hasMessage("budget was already set");
        assertThatThrownBy(() -> b.with(new TestExtension(4))).hasMessage("extension test was already added");
        assertThatThrownBy(() -> b.addressAllocation("embedded")).hasMessage("addressAllocation provider was already chosen (kea)");
        assertThatThrownBy(() -> b.workFolder(Path.of("/tmp/y"))).hasMessage("workFolder was already set");
        assertThatThrownBy(() -> b.networkSeam(NetworkSeam.host())).hasMessage("networkSeam was already set");
        assertThatThrownBy(() -> b.removeNode("nobody")).isInstanceOf(IllegalArgumentException.class).hasMessage("no node 'nobody' to remove");
    }

    @Test
    void aNodeAddedTwiceUnderAnInheritedNameIsADuplicate() {
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(ClusterConfigException.class, () -> guide.toBuilder()
                .node("kerrighednode1", "02:00:00:00:01:01", "192.168.1.201")
                .node("kerrighednode1", "02:00:00:00:01:02", "192.168.1.202").build());
        assertThat(e.problems()).containsExactly("duplicate host name kerrighednode1");
    }

    @Test
    void equalsAndToStringDescribeTheClusterNotWhereItRuns() {
        Cluster elsewhere = guide.toBuilder().workFolder(Path.of("/tmp/elsewhere")).networkSeam(seam("a namespace")).build();
        assertThat(elsewhere).isEqualTo(guide).hasSameHashCodeAs(guide);
        assertThat(elsewhere.toString()).isEqualTo(guide.toString()).doesNotContain("elsewhere").doesNotContain("Seam");
    }
}
