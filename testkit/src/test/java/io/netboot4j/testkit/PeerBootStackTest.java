package io.netboot4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.MacAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit's own proof, independent of netboot4j's servers: a QEMU node PXE-boots the
 * stock Debian kernel and initrd from dnsmasq and mounts the busybox root from nfs-ganesha.
 */
@Tag("e2e")
class PeerBootStackTest {

    @Test
    void aVirtualNodeBootsTheBusyboxRootFromDnsmasqAndGanesha(@TempDir Path work) throws Exception {
        assumeTrue(VirtualNode.available(), VirtualNode.unavailableReason());
        assumeTrue(PeerBootStack.available(), PeerBootStack.unavailableReason());
        assumeTrue(BusyboxRoot.available(), BusyboxRoot.unavailableReason());
        assumeTrue(DebianKernel.find().isPresent(), DebianKernel.unavailableReason());
        DebianKernel kernel = DebianKernel.require();
        BusyboxRoot root = BusyboxRoot.create(work.resolve("root"));
        try (NetworkNamespace ns = NetworkNamespace.create("nb-tk")) {
            ns.addBridge("br0", "10.98.0.1/24");
            Cluster cluster = Cluster.builder("peer")
                    .network(n -> n.interfaceName("br0").subnet("10.98.0.0/24").server("10.98.0.1").domain("peer"))
                    .node("peernode1", "52:54:00:98:00:11", "10.98.0.11")
                    .boot(b -> b.kernel(kernel.kernel()).initrd(kernel.initrd()).append("console=ttyS0 panic=-1 no_timer_check"))
                    .rootFilesystem(r -> r.path(root.path()))
                    .build();
            try (PeerBootStack peers = PeerBootStack.start(ns, cluster, work.resolve("peer"));
                 VirtualNode node = VirtualNode.builder(ns, MacAddress.parse("52:54:00:98:00:11")).name("peernode1")
                         .bridge("br0").consoleLog(work.resolve("peernode1.console")).start()) {
                node.awaitConsole(Pattern.compile("iPXE"), Duration.ofMinutes(2));
                node.awaitConsole(Pattern.compile("Linux version"), Duration.ofMinutes(4));
                node.awaitConsole(Pattern.compile(Pattern.quote(BusyboxRoot.STARTED)), Duration.ofMinutes(5));
                var wrote = node.awaitConsole(BusyboxRoot.WROTE_LINE, Duration.ofMinutes(2));
                assertThat(wrote.text()).contains("name=peernode1", "address=10.98.0.11");
                assertThat(node.awaitExit(Duration.ofMinutes(1))).isZero();
                assertThat(root.report("peernode1")).get().satisfies(r -> {
                    assertThat(r.address()).isEqualTo("10.98.0.11");
                    assertThat(r.hostname()).isEqualTo("peernode1");
                    assertThat(r.kernelArguments()).contains("console=ttyS0", "root=/dev/nfs",
                            "nfsroot=10.98.0.1:" + root.path() + ",vers=3,tcp", "ip=dhcp", "rw");
                });
                assertThat(peers.dnsmasqLog()).contains("sent " + peers.tftpRoot().resolve(kernel.kernel().getFileName().toString()));
            }
        }
    }
}
