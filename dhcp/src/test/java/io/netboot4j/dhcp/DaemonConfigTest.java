package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered dhcpd.conf and kea-dhcp4 configuration, checked against the guide and by the real daemons. */
class DaemonConfigTest {

    @TempDir
    Path tmp;

    /** The guide's six-node cluster, written down verbatim (its MACs are group addresses). */
    static Cluster guideCluster(DhcpSettings settings) {
        return guideCluster(settings, "eth0");
    }

    static Cluster guideCluster(DhcpSettings settings, String interfaceName) {
        var b = Cluster.builder("kerrighed")
                .network(n -> n.interfaceName(interfaceName).subnet("192.168.1.0/24").server("192.168.1.1").domain("kerrighed")
                        .serverName("kerrighedserver"))
                .nodes("kerrighednode%d", 6, "01:2D:61:C7:17:86", "192.168.1.101")
                .boot(x -> x.kernel(Path.of("/boot/vmlinuz-2.6.20-krg")).append("console=tty1"))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed"))
                .allowGroupMacAddresses()
                .networkSeam(NetworkSeam.host());
        if (settings != null) {
            b.with(settings);
        }
        return b.build();
    }

    @Test
    void dhcpdConfHasTheGuidesStatements() {
        String conf = DhcpdConfig.render(guideCluster(null));
        assertThat(conf).contains("option dhcp-max-message-size 2048;\n", "use-host-decl-names on;\n", "deny unknown-clients;",
                "deny bootp;\n", "option domain-name \"kerrighed\";\n", "option domain-name-servers 192.168.1.1;\n",
                "subnet 192.168.1.0 netmask 255.255.255.0 {\n", "  option routers 192.168.1.1;\n",
                "  option broadcast-address 192.168.1.255;\n", "group {\n", "    filename \"pxelinux.0\";\n",
                "  option root-path \"192.168.1.1:/nfsroot/kerrighed\";\n", "  server-name \"kerrighedserver\";\n",
                "  next-server 192.168.1.1;\n",
                "  host kerrighednode1 {\n    hardware ethernet 01:2D:61:C7:17:86;\n    fixed-address 192.168.1.101;\n  }\n",
                "  host kerrighednode6 {\n    hardware ethernet 01:2D:61:C7:17:8B;\n    fixed-address 192.168.1.106;\n  }\n",
                "filename \"snponly.efi\"", "filename \"boot.ipxe\"", "default-lease-time 43200;",
                "option ipxe-encap-opts code 175 = encapsulate ipxe;\n", "option ipxe.no-pxedhcp code 176 = unsigned integer 8;\n",
                "    filename \"boot.ipxe\";\n    option ipxe.no-pxedhcp 1;");
        assertThat(conf).doesNotContain("range");
        assertThat(DhcpdConfig.interfacesFile(guideCluster(null))).contains("INTERFACESv4=\"eth0\"\n", "INTERFACESv6=\"\"\n");

        String open = DhcpdConfig.render(guideCluster(DhcpSettings.builder().dynamicPool("192.168.1.200", "192.168.1.250")
                .allowBootp().build()));
        assertThat(open).doesNotContain("deny unknown-clients").contains("allow bootp;",
                "  pool {\n    allow unknown-clients;\n    range 192.168.1.200 192.168.1.250;\n  }\n");
    }

    @Test
    void keaConfigHasReservationsBootFilesAndClasses() {
        String conf = KeaConfig.render(guideCluster(null), tmp.resolve("kea-leases4.csv"), 67);
        assertThat(conf).contains("\"interfaces\": [ \"eth0\" ]", "\"next-server\": \"192.168.1.1\"",
                "\"server-hostname\": \"kerrighedserver\"", "\"boot-file-name\": \"pxelinux.0\"",
                "\"boot-file-name\": \"snponly.efi\"", "\"boot-file-name\": \"boot.ipxe\"", "option[93].hex == 0x0007",
                "{ \"name\": \"root-path\", \"data\": \"192.168.1.1:/nfsroot/kerrighed\", \"always-send\": true }",
                "{ \"hw-address\": \"01:2d:61:c7:17:86\", \"ip-address\": \"192.168.1.101\", \"hostname\": \"kerrighednode1\"",
                "\"valid-lifetime\": 43200", "\"renew-timer\": 21600", "\"rebind-timer\": 37800",
                "\"code\": 175, \"type\": \"empty\", \"encapsulate\": \"ipxe\"",
                "{ \"space\": \"ipxe\", \"name\": \"no-pxedhcp\", \"data\": \"1\", \"always-send\": true }");
        assertThat(conf).doesNotContain("\"pools\"");
        assertThat(KeaConfig.render(guideCluster(DhcpSettings.builder().dynamicPool("192.168.1.200", "192.168.1.250").build()),
                tmp.resolve("l"), 67)).contains("\"pools\": [ { \"pool\": \"192.168.1.200 - 192.168.1.250\" } ]");
    }

    @Test
    @Tag("integration")
    void realDhcpdAcceptsTheConfiguration() throws Exception {
        assumeTrue(Commands.exists("dhcpd"), "needs dhcpd from the Debian package isc-dhcp-server");
        for (DhcpSettings s : List.of(DhcpSettings.defaults(),
                DhcpSettings.builder().dynamicPool("192.168.1.200", "192.168.1.250").allowBootp().build())) {
            Path conf = tmp.resolve("dhcpd.conf");
            Files.writeString(conf, DhcpdConfig.render(guideCluster(s)));
            CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("dhcpd", "-t", "-4", "-cf", conf.toString()));
            assertThat(r.exitCode()).as(r.output()).isZero();
            Files.writeString(conf, DhcpdConfig.render(guideCluster(s)).replace("group {", "group {{"));
            assertThat(Commands.run(Duration.ofSeconds(30), List.of("dhcpd", "-t", "-4", "-cf", conf.toString())).exitCode())
                    .as("dhcpd -t does reject a broken file").isNotZero();
        }
    }

    @Test
    @Tag("integration")
    void realKeaAcceptsTheConfiguration() throws Exception {
        assumeTrue(Commands.exists("kea-dhcp4"), "needs kea-dhcp4 from the Debian package kea-dhcp4-server");
        // kea-dhcp4 -t checks that the interface exists: use the loopback, which every machine has.
        for (DhcpSettings s : List.of(DhcpSettings.defaults(), DhcpSettings.builder().dynamicPool("192.168.1.200", "192.168.1.250").build())) {
            Path conf = tmp.resolve("kea-dhcp4.conf");
            Files.writeString(conf, KeaConfig.render(guideCluster(s, "lo"), tmp.resolve("kea-leases4.csv"), 67));
            CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("kea-dhcp4", "-t", conf.toString()));
            assertThat(r.exitCode()).as(r.output()).isZero();
            Files.writeString(conf, KeaConfig.render(guideCluster(s, "lo"), tmp.resolve("kea-leases4.csv"), 67).replace("option[93]", "option[93"));
            assertThat(Commands.run(Duration.ofSeconds(30), List.of("kea-dhcp4", "-t", conf.toString())).exitCode())
                    .as("kea-dhcp4 -t does reject a broken file").isNotZero();
        }
    }
}
