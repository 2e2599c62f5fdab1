package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Cluster;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * klibc's ipconfig (Debian klibc-utils), the DHCP client of Debian's initramfs
 * ({@code ip=dhcp}), against the embedded server: it must learn the address, host name,
 * root server and root path, and the boot file.
 */
@Tag("integration")
class KlibcIpconfigTest {

    static final Path IPCONFIG = Path.of("/usr/lib/klibc/bin/ipconfig");

    @TempDir
    Path tmp;

    @BeforeEach
    void needs() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Files.isExecutable(IPCONFIG), "needs ipconfig from the Debian package klibc-utils");
        assumeTrue(Commands.exists("unshare"), "needs unshare from the Debian package util-linux");
    }

    @Test
    void initramfsClientGetsAddressHostNameAndRootPath() throws Exception {
        String hostBefore = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"));
        try (TestNet net = new TestNet()) {
            NetworkNamespace node = net.client("br0", TestClusters.NODE2_MAC);
            Cluster cluster = TestClusters.cluster(net.head.seam());
            TestClusters.Events events = new TestClusters.Events();
            try (EmbeddedDhcpServer server = new EmbeddedDhcpServer(TestClusters.context(cluster, tmp, events))) {
                server.start();
                // ipconfig writes /run/net-eth0.conf and sets the host name: give it a private /run in
                // its own mount namespace and its own UTS namespace, or it renames the machine.
                CommandResult r = node.exec(Duration.ofSeconds(60), "unshare", "-m", "-u", "sh", "-c",
                        "mount -t tmpfs tmpfs /run && " + IPCONFIG + " -t 15 -c dhcp -d eth0 && cat /run/net-eth0.conf");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output()).contains("IPV4ADDR='10.77.0.102'", "IPV4NETMASK='255.255.255.0'", "IPV4GATEWAY='10.77.0.1'",
                        "HOSTNAME='kerrighednode2'", "DNSDOMAIN='kerrighed'", "ROOTSERVER='10.77.0.1'",
                        "ROOTPATH='10.77.0.1:/nfsroot/kerrighed'", "filename='pxelinux.0'");
                assertThat(events.of(BootEvent.AddressAcknowledged.class)).isNotEmpty();
                assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")))
                        .as("the machine's own host name is untouched").isEqualTo(hostBefore);
            }
        }
    }
}
