package io.netboot4j.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    @Tag("integration")
    void uefiHttpBootClientsGetAUrlAndTheirVendorClassBackFromDhcpdAndKea() throws Exception {
        Cluster c = guideCluster(null, "lo").toBuilder().uefiChain("kerrighednode2", io.netboot4j.core.UefiChain.SYSLINUX).build();
        String dhcpd = DhcpdConfig.render(c);
        assertThat(dhcpd).contains("  } elsif substring (option vendor-class-identifier, 0, 10) = \"HTTPClient\" { # UEFI HTTP Boot\n"
                + "    option vendor-class-identifier \"HTTPClient\"; # the firmware takes no offer without it\n"
                + "    if option architecture-type = 16 {\n      filename \"http://192.168.1.1/snponly.efi\";\n"
                + "    } elsif option architecture-type = 19 {\n      filename \"http://192.168.1.1/arm64/snponly.efi\";\n    }\n"
                + "  } elsif option architecture-type = 7 or option architecture-type = 9 {\n");
        assertThat(dhcpd).contains("        filename \"syslinux.efi\";\n      } elsif option architecture-type = 16 {\n"
                + "        filename \"http://192.168.1.1/syslinux.efi\";\n      }\n    }\n");
        String kea = KeaConfig.render(c, tmp.resolve("kea-leases4.csv"), 67);
        assertThat(kea).contains("{ \"name\": \"uefi-http-x86-64\", \"test\": \"substring(option[60].hex,0,10) == 'HTTPClient' "
                + "and option[93].hex == 0x0010\", \"boot-file-name\": \"http://192.168.1.1/snponly.efi\", \"option-data\": [ "
                + "{ \"name\": \"vendor-class-identifier\", \"data\": \"HTTPClient\", \"always-send\": true } ] }",
                "\"name\": \"uefi-http-x86-64-kerrighednode2\", \"test\": \"pkt4.mac == 0x012d61c71787 and substring(option[60]",
                "\"boot-file-name\": \"http://192.168.1.1/syslinux.efi\"");
        assertThat(kea.indexOf("uefi-http-x86-64-kerrighednode2")).as("node classes before the cluster's")
                .isLessThan(kea.indexOf("\"uefi-http-x86-64\""));
        bothDaemonsAccept(dhcpd, kea, "http");
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

    /** The guide's cluster plus two subnets behind relays, a node on each. */
    static Cluster multiSubnetCluster(String interfaceName) {
        return guideCluster(null, interfaceName).toBuilder()
                .network(n -> n.interfaceName(interfaceName).subnet("192.168.1.0/24").server("192.168.1.1").domain("kerrighed")
                        .serverName("kerrighedserver").relayedSubnet("192.168.2.0/24", "192.168.2.1")
                        .relayedSubnet("10.20.0.0/16", "10.20.0.1", "10.20.1.1"))
                .node("far1", "02:00:00:00:02:01", "192.168.2.11")
                .node("far2", "02:00:00:00:02:02", "10.20.1.11")
                .build();
    }

    @Test
    @Tag("integration")
    void eachSubnetsPoolIsRenderedInThatSubnetAndTheDaemonsAcceptIt() throws Exception {
        Cluster c = multiSubnetCluster("lo").toBuilder().with(DhcpSettings.builder().dynamicPool("10.20.2.1", "10.20.2.99")
                .dynamicPool("192.168.1.200", "192.168.1.210").build()).build();
        String dhcpd = DhcpdConfig.render(c);
        assertThat(dhcpd.substring(dhcpd.indexOf("subnet 10.20.0.0"))).startsWith("subnet 10.20.0.0 netmask 255.255.0.0")
                .contains("  pool {\n    allow unknown-clients;\n    range 10.20.2.1 10.20.2.99;\n  }\n}\n");
        assertThat(dhcpd.substring(dhcpd.indexOf("subnet 192.168.1.0"), dhcpd.indexOf("subnet 192.168.2.0")))
                .contains("range 192.168.1.200 192.168.1.210;").doesNotContain("10.20.2.1");
        String kea = KeaConfig.render(c, tmp.resolve("kea-leases4.csv"), 67);
        assertThat(kea.substring(kea.indexOf("\"subnet\": \"10.20.0.0/16\""))).contains("\"pools\": [ { \"pool\": \"10.20.2.1 - 10.20.2.99\" } ]");
        assertThat(kea.substring(kea.indexOf("\"subnet\": \"192.168.1.0/24\""), kea.indexOf("\"subnet\": \"192.168.2.0/24\"")))
                .contains("\"pools\": [ { \"pool\": \"192.168.1.200 - 192.168.1.210\" } ]");
        assertThatThrownBy(() -> multiSubnetCluster("lo").toBuilder().with(DhcpSettings.builder().dynamicPool("10.20.2.1", "10.20.2.9")
                .dynamicPool("10.20.3.1", "10.20.3.9").build()).build())
                .hasMessageContaining("dynamic pool 10.20.3.1-10.20.3.9 is the second pool on subnet 10.20.0.0/16: one pool per subnet");
        assertThatThrownBy(() -> multiSubnetCluster("lo").toBuilder().with(DhcpSettings.builder().dynamicPool("10.30.0.1", "10.30.0.9").build()).build())
                .hasMessageContaining("dynamic pool 10.30.0.1-10.30.0.9 is not inside the subnet 192.168.1.0/24 or 192.168.2.0/24 or 10.20.0.0/16");
        bothDaemonsAccept(dhcpd, kea, "pool");
    }

    @Test
    void multiSubnetConfigurationsHaveEverySubnet() {
        String dhcpd = DhcpdConfig.render(multiSubnetCluster("eth0"));
        assertThat(dhcpd).contains("subnet 192.168.2.0 netmask 255.255.255.0 { # behind the relay 192.168.2.1\n"
                        + "  option routers 192.168.2.1;\n  option broadcast-address 192.168.2.255;\n}\n",
                "subnet 10.20.0.0 netmask 255.255.0.0 { # behind the relay 10.20.0.1, 10.20.1.1\n",
                "  host far2 {\n    hardware ethernet 02:00:00:00:02:02;\n    fixed-address 10.20.1.11;\n  }\n");
        String kea = KeaConfig.render(multiSubnetCluster("eth0"), tmp.resolve("l"), 67);
        assertThat(kea).contains("\"id\": 2", "\"subnet\": \"192.168.2.0/24\"", "\"relay\": { \"ip-addresses\": [ \"192.168.2.1\" ] }",
                "\"relay\": { \"ip-addresses\": [ \"10.20.0.1\", \"10.20.1.1\" ] }", "{ \"name\": \"routers\", \"data\": \"10.20.0.1\" }",
                "\"ip-address\": \"10.20.1.11\"");
        assertThat(kea.indexOf("\"ip-address\": \"10.20.1.11\"")).as("far2 reserved in its own subnet")
                .isGreaterThan(kea.indexOf("\"subnet\": \"10.20.0.0/16\""));
    }

    @Test
    @Tag("integration")
    void realDaemonsAcceptTheMultiSubnetConfiguration() throws Exception {
        assumeTrue(Commands.exists("dhcpd"), "needs dhcpd from the Debian package isc-dhcp-server");
        assumeTrue(Commands.exists("kea-dhcp4"), "needs kea-dhcp4 from the Debian package kea-dhcp4-server");
        Path conf = tmp.resolve("dhcpd.conf");
        Files.writeString(conf, DhcpdConfig.render(multiSubnetCluster("eth0")));
        CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("dhcpd", "-t", "-4", "-cf", conf.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        Path kea = tmp.resolve("kea-dhcp4.conf");
        Files.writeString(kea, KeaConfig.render(multiSubnetCluster("lo"), tmp.resolve("kea-leases4.csv"), 67));
        CommandResult k = Commands.run(Duration.ofSeconds(30), List.of("kea-dhcp4", "-t", kea.toString()));
        assertThat(k.exitCode()).as(k.output()).isZero();
        // Kea checks reservations against their subnet: a far node reserved in the attached subnet is refused.
        Files.writeString(kea, KeaConfig.render(multiSubnetCluster("lo"), tmp.resolve("kea-leases4.csv"), 67)
                .replace("\"ip-address\": \"192.168.1.101\"", "\"ip-address\": \"192.168.2.101\""));
        assertThat(Commands.run(Duration.ofSeconds(30), List.of("kea-dhcp4", "-t", kea.toString())).exitCode()).isNotZero();
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

    @Test
    @Tag("integration")
    void nodesWithTheirOwnUefiChainGetItsLoaderFromDhcpdAndKea() throws Exception {
        Cluster c = guideCluster(null, "lo").toBuilder()
                .boot(b -> b.uefiChain(io.netboot4j.core.UefiChain.GRUB))
                .uefiChain("kerrighednode2", io.netboot4j.core.UefiChain.SYSLINUX)
                .uefiChain("kerrighednode3", io.netboot4j.core.UefiChain.SHIM_GRUB)
                .build();
        String dhcpd = DhcpdConfig.render(c);
        assertThat(dhcpd).contains("  } elsif option architecture-type = 7 or option architecture-type = 9 {\n    filename \"grubx64.efi\";\n"
                + "  } elsif option architecture-type = 11 {\n    filename \"grubaa64.efi\";\n  } else {\n");
        assertThat(dhcpd).contains("    fixed-address 192.168.1.102;\n"
                + "    if not (exists user-class and option user-class = \"iPXE\") { # UEFI chain syslinux\n"
                + "      if option architecture-type = 7 or option architecture-type = 9 {\n        filename \"syslinux.efi\";\n"
                + "      } elsif option architecture-type = 16 {\n        filename \"http://192.168.1.1/syslinux.efi\";\n      }\n    }\n  }\n");
        assertThat(dhcpd).contains("        filename \"shimx64.efi\";\n      } elsif option architecture-type = 11 {\n        filename \"shimaa64.efi\";\n");
        assertThat(dhcpd).contains("    fixed-address 192.168.1.101;\n  }\n");
        String kea = KeaConfig.render(c, tmp.resolve("kea-leases4.csv"), 67);
        assertThat(kea).contains("{ \"name\": \"uefi-x86-64-kerrighednode2\", \"test\": \"not member('ipxe') and pkt4.mac == 0x012d61c71787 and "
                        + "(option[93].hex == 0x0007 or option[93].hex == 0x0009)\", \"boot-file-name\": \"syslinux.efi\" }",
                "\"name\": \"uefi-arm64-kerrighednode3\"", "\"boot-file-name\": \"shimaa64.efi\"",
                "{ \"name\": \"uefi-arm64\", \"test\": \"not member('ipxe') and option[93].hex == 0x000b\", \"boot-file-name\": \"grubaa64.efi\" }")
                .doesNotContain("uefi-arm64-kerrighednode2");
        assertThat(kea.indexOf("uefi-x86-64-kerrighednode2")).as("node classes before the cluster's").isLessThan(kea.indexOf("\"uefi-x86-64\""));
        bothDaemonsAccept(dhcpd, kea, "chains");
    }

    @Test
    @Tag("integration")
    void aGroupsNodesGetItsRootPathFromDhcpdAndKea() throws Exception {
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        Cluster c = guideCluster(null, "lo").toBuilder()
                .group("storage", b -> { }).groupRoot("storage", r -> r.path(storage))
                .nodeGroup("kerrighednode2", "storage")
                .build();
        String dhcpd = DhcpdConfig.render(c);
        assertThat(dhcpd).contains("  option root-path \"192.168.1.1:/nfsroot/kerrighed\";\n");
        assertThat(dhcpd).contains("    fixed-address 192.168.1.102;\n    option root-path \"192.168.1.1:" + storage + "\"; # its group's root\n  }\n");
        assertThat(dhcpd).contains("    fixed-address 192.168.1.101;\n  }\n");
        String kea = KeaConfig.render(c, tmp.resolve("kea-leases4.csv"), 67);
        assertThat(kea).contains("\"hostname\": \"kerrighednode2\", \"option-data\": [ { \"name\": \"host-name\", \"data\": \"kerrighednode2\","
                + " \"always-send\": true }, { \"name\": \"root-path\", \"data\": \"192.168.1.1:" + storage + "\", \"always-send\": true } ] }");
        assertThat(kea).contains("\"hostname\": \"kerrighednode1\", \"option-data\": [ { \"name\": \"host-name\", \"data\": \"kerrighednode1\","
                + " \"always-send\": true } ] }");
        bothDaemonsAccept(dhcpd, kea, "group-root");
    }

    /** {@code dhcpd -t} and {@code kea-dhcp4 -t} accept the two files (skips naming the package without them). */
    private void bothDaemonsAccept(String dhcpd, String kea, String name) throws Exception {
        assumeTrue(Commands.exists("dhcpd"), "needs dhcpd from the Debian package isc-dhcp-server");
        assumeTrue(Commands.exists("kea-dhcp4"), "needs kea-dhcp4 from the Debian package kea-dhcp4-server");
        Path conf = tmp.resolve("dhcpd-" + name + ".conf");
        Files.writeString(conf, dhcpd);
        CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("dhcpd", "-t", "-4", "-cf", conf.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        conf = tmp.resolve("kea-" + name + ".conf");
        Files.writeString(conf, kea);
        r = Commands.run(Duration.ofSeconds(30), List.of("kea-dhcp4", "-t", conf.toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
