package io.netboot4j.dhcp;

import io.netboot4j.core.BootProfile;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.Network;
import io.netboot4j.core.Node;
import io.netboot4j.core.RelayedSubnet;
import io.netboot4j.core.UefiChain;
import io.netboot4j.dhcp.internal.DhcpEngine;
import io.netboot4j.dhcp.internal.HttpBoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a cluster as a {@code kea-dhcp4} JSON configuration: ISC dhcpd's maintained
 * successor serving the same policy as the guide's {@code dhcpd.conf}. One subnet on the
 * cluster interface with one reservation per node (address, host name), no pool unless
 * {@link DhcpSettings} has a dynamic pool (so unknown clients get nothing), the boot file,
 * next server, server name and root path, and client classes that pick the boot file by
 * PXE client architecture (option 93) and recognise iPXE (user class {@code iPXE}).
 * A pure function of the cluster and the lease file's path.
 */
public final class KeaConfig {

    private KeaConfig() {
    }

    /**
     * The configuration.
     *
     * @param cluster the cluster
     * @param leaseFile where Kea keeps its leases (memfile)
     * @param port the port Kea listens on (its {@code -p}); only used in a comment
     */
    public static String render(Cluster cluster, Path leaseFile, int port) {
        return render(cluster, leaseFile, port, null);
    }

    /**
     * The configuration with a Unix control socket, over which Kea takes commands such as
     * {@code config-reload}.
     *
     * @param cluster the cluster
     * @param leaseFile where Kea keeps its leases (memfile)
     * @param port the port Kea listens on (its {@code -p}); only used in a comment
     * @param controlSocket the socket's path, or {@code null} for none
     */
    public static String render(Cluster cluster, Path leaseFile, int port, Path controlSocket) {
        Network net = cluster.network();
        DhcpSettings settings = DhcpSettings.of(cluster);
        BootProfile boot = cluster.boot();
        long lease = settings.leaseTime().toSeconds();
        List<String> global = new ArrayList<>();
        global.add(kv("interfaces-config", "{ \"interfaces\": [ " + str(net.interfaceName()) + " ], \"dhcp-socket-type\": \"raw\" }"));
        global.add(kv("lease-database", "{ \"type\": \"memfile\", \"persist\": true, \"name\": " + str(leaseFile.toString())
                + ", \"lfc-interval\": 3600 }"));
        if (controlSocket != null) {
            global.add(kv("control-socket", "{ \"socket-type\": \"unix\", \"socket-name\": " + str(controlSocket.toString()) + " }"));
        }
        global.add(kv("valid-lifetime", Long.toString(lease)));
        global.add(kv("renew-timer", Long.toString(settings.renewalTime().toSeconds())));
        global.add(kv("rebind-timer", Long.toString(settings.rebindingTime().toSeconds())));
        global.add(kv("authoritative", "true"));
        global.add(kv("host-reservation-identifiers", "[ \"hw-address\" ]"));
        global.add(kv("next-server", str(Ipv4.format(net.server()))));
        global.add(kv("server-hostname", str(net.serverName().value())));
        global.add(kv("boot-file-name", str(boot.biosBootFile())));
        List<String> options = new ArrayList<>();
        if (!net.domain().isEmpty()) {
            options.add(option("domain-name", net.domain()));
        }
        if (!net.dnsServers().isEmpty()) {
            options.add(option("domain-name-servers", net.dnsServers().stream().map(Ipv4::format).collect(Collectors.joining(", "))));
        }
        global.add(kv("option-data", list(options, "    ")));
        // iPXE's encapsulated option 175 with sub-option 176 no-pxedhcp (not among Kea's standard definitions).
        global.add(kv("option-def", list(List.of(
                "{ \"space\": \"dhcp4\", \"name\": \"ipxe-encap-opts\", \"code\": 175, \"type\": \"empty\", \"encapsulate\": \"ipxe\" }",
                "{ \"space\": \"ipxe\", \"name\": \"no-pxedhcp\", \"code\": 176, \"type\": \"uint8\" }"), "    ")));
        List<String> classes = new ArrayList<>();
        // Evaluated in order; the first class that sets boot-file-name wins, so iPXE comes first.
        classes.add("{ \"name\": \"ipxe\", \"test\": \"substring(option[77].hex,0,4) == 'iPXE' or option[175].exists\", "
                + "\"boot-file-name\": " + str(boot.ipxeBootFile()) + ", \"option-data\": [ "
                + "{ \"space\": \"ipxe\", \"name\": \"no-pxedhcp\", \"data\": \"1\", \"always-send\": true }, "
                + "{ \"name\": \"ipxe-encap-opts\", \"always-send\": true } ] }");
        // Nodes with a UEFI chain of their own first: one class per node, matched by its MAC address.
        for (Node n : cluster.nodes()) {
            UefiChain chain = cluster.uefiChain(n);
            if (chain != boot.uefiChain()) {
                String mac = "0x" + n.mac().format(':').replace(":", "");
                httpClasses(classes, cluster, n, "-" + n.hostname(), "pkt4.mac == " + mac + " and ");
                uefiClass(classes, "uefi-x86-64-" + n.hostname(), "pkt4.mac == " + mac + " and " + X86_64, boot.uefiBootFile(chain, false));
                uefiClass(classes, "uefi-arm64-" + n.hostname(), "pkt4.mac == " + mac + " and " + ARM64, boot.uefiBootFile(chain, true));
            }
        }
        httpClasses(classes, cluster, null, "", "");
        uefiClass(classes, "uefi-x86-64", X86_64, boot.uefiBootFile(boot.uefiChain(), false));
        uefiClass(classes, "uefi-arm64", ARM64, boot.uefiBootFile(boot.uefiChain(), true));
        global.add(kv("client-classes", list(classes, "    ")));

        List<String> subnetOptions = new ArrayList<>();
        subnetOptions.add(option("routers", Ipv4.format(net.router())));
        subnetOptions.add(option("broadcast-address", Ipv4.format(net.broadcast())));
        subnetOptions.add(alwaysSent("root-path", DhcpEngine.rootPath(cluster)));
        List<String> reservations = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (net.relayedSubnetOf(n.address()).isPresent()) {
                continue; // reserved in its own subnet below
            }
            reservations.add(reservation(cluster, n));
        }
        List<String> subnet = new ArrayList<>();
        subnet.add(kv("id", "1"));
        subnet.add(kv("subnet", str(net.subnet().toString())));
        subnet.add(kv("interface", str(net.interfaceName())));
        subnet.add(kv("option-data", list(subnetOptions, "        ")));
        pool(subnet, settings, net, net.subnet());
        subnet.add(kv("reservations", list(reservations, "        ")));
        List<String> subnets = new ArrayList<>();
        subnets.add("{\n        " + String.join(",\n        ", subnet) + "\n      }");
        int id = 2;
        for (RelayedSubnet r : net.relayedSubnets()) {
            subnets.add(relayedSubnet(cluster, r, id++));
        }
        global.add(kv("subnet4", "[\n      " + String.join(",\n      ", subnets) + "\n    ]"));
        KeaHighAvailability.of(cluster).ifPresent(ha -> global.addAll(highAvailability(ha)));
        global.add(kv("loggers", "[ { \"name\": \"kea-dhcp4\", \"output_options\": [ { \"output\": \"stdout\" } ], "
                + "\"severity\": \"INFO\" } ]"));
        return "// kea-dhcp4 configuration of cluster " + cluster.name() + ", generated by netboot4j (port " + port + ")\n"
                + "{\n  \"Dhcp4\": {\n    " + String.join(",\n    ", global) + "\n  }\n}\n";
    }

    /**
     * Kea's hot-standby pair: multi-threading (HA's dedicated HTTP listener needs it), the
     * lease commands and HA hooks (the provider's control socket then takes the HA commands).
     */
    private static List<String> highAvailability(KeaHighAvailability ha) {
        String peers = List.of(peer(ha, ha.primary(), ha.primaryAddress(), "primary"), peer(ha, ha.standby(), ha.standbyAddress(), "standby"))
                .stream().collect(Collectors.joining(", "));
        String haParameters = "{ \"high-availability\": [ { \"this-server-name\": " + str(ha.thisServer())
                + ", \"mode\": \"hot-standby\", \"heartbeat-delay\": 2000, \"max-response-delay\": 6000, \"max-ack-delay\": 5000,"
                + " \"max-unacked-clients\": 0, \"sync-timeout\": 60000,"
                + " \"multi-threading\": { \"enable-multi-threading\": true, \"http-dedicated-listener\": true,"
                + " \"http-listener-threads\": 2, \"http-client-threads\": 2 },"
                + " \"peers\": [ " + peers + " ] } ] }";
        return List.of(
                kv("multi-threading", "{ \"enable-multi-threading\": true, \"thread-pool-size\": 2, \"packet-queue-size\": 64 }"),
                kv("hooks-libraries", list(List.of(
                        "{ \"library\": " + str(ha.hooksFolder().resolve(KeaHighAvailability.LEASE_COMMANDS_LIBRARY).toString()) + " }",
                        "{ \"library\": " + str(ha.hooksFolder().resolve(KeaHighAvailability.HA_LIBRARY).toString())
                                + ", \"parameters\": " + haParameters + " }"), "    ")));
    }

    private static String peer(KeaHighAvailability ha, String name, java.net.Inet4Address address, String role) {
        return "{ \"name\": " + str(name) + ", \"url\": " + str("http://" + Ipv4.format(address) + ":" + ha.port() + "/")
                + ", \"role\": " + str(role) + ", \"auto-failover\": true }";
    }

    /** A subnet behind relays: chosen by Kea by the relay's giaddr ({@code relay.ip-addresses}), no interface. */
    private static String relayedSubnet(Cluster cluster, RelayedSubnet r, int id) {
        List<String> options = List.of(option("routers", Ipv4.format(r.router())), option("broadcast-address", Ipv4.format(r.broadcast())),
                alwaysSent("root-path", DhcpEngine.rootPath(cluster)));
        List<String> reservations = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (r.subnet().contains(n.address())) {
                reservations.add(reservation(cluster, n));
            }
        }
        List<String> subnet = new ArrayList<>();
        subnet.add(kv("id", Integer.toString(id)));
        subnet.add(kv("subnet", str(r.subnet().toString())));
        subnet.add(kv("relay", "{ \"ip-addresses\": [ " + r.relays().stream().map(a -> str(Ipv4.format(a)))
                .collect(Collectors.joining(", ")) + " ] }"));
        subnet.add(kv("option-data", list(options, "        ")));
        pool(subnet, DhcpSettings.of(cluster), cluster.network(), r.subnet());
        subnet.add(kv("reservations", list(reservations, "        ")));
        return "{\n        " + String.join(",\n        ", subnet) + "\n      }";
    }

    /** The dynamic pool of subnet {@code on}, if it has one. */
    private static void pool(List<String> subnet, DhcpSettings settings, Network net, Ipv4Network on) {
        settings.pools().stream().filter(p -> DhcpSettings.subnetOf(p, net).filter(on::equals).isPresent()).findFirst()
                .ifPresent(p -> subnet.add(kv("pools", "[ { \"pool\": " + str(Ipv4.format(p.first()) + " - " + Ipv4.format(p.last())) + " } ]")));
    }

    /** A node's reservation: its address, host name and, if its group has a root of its own, that root path (option 17). */
    private static String reservation(Cluster cluster, Node n) {
        String rootPath = DhcpEngine.hasOwnRoot(cluster, n) ? ", " + alwaysSent("root-path", DhcpEngine.rootPath(cluster, n)) : "";
        return "{ \"hw-address\": " + str(n.mac().toString()) + ", \"ip-address\": " + str(Ipv4.format(n.address()))
                + ", \"hostname\": " + str(n.hostname()) + ", \"option-data\": [ " + alwaysSent("host-name", n.hostname())
                + rootPath + " ] }";
    }

    private static String option(String name, String data) {
        return "{ \"name\": " + str(name) + ", \"data\": " + str(data) + " }";
    }

    private static String alwaysSent(String name, String data) {
        return "{ \"name\": " + str(name) + ", \"data\": " + str(data) + ", \"always-send\": true }";
    }

    private static String kv(String key, String json) {
        return str(key) + ": " + json;
    }

    private static String list(List<String> items, String indent) {
        if (items.isEmpty()) {
            return "[ ]";
        }
        return "[\n" + indent + "  " + String.join(",\n" + indent + "  ", items) + "\n" + indent + "]";
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static final String X86_64 = "(option[93].hex == 0x0007 or option[93].hex == 0x0009)";
    private static final String ARM64 = "option[93].hex == 0x000b";

    /**
     * UEFI HTTP Boot (client architectures 16 and 19, vendor class {@code HTTPClient}): the URL
     * of the chain's loader on the embedded HTTP server as boot file and {@code HTTPClient}
     * back in option 60, as the embedded DHCP server answers (the firmware takes no offer without it).
     */
    private static void httpClasses(List<String> classes, Cluster cluster, Node n, String suffix, String match) {
        for (int arch : new int[] {HttpBoot.ARCH_X64_HTTP, HttpBoot.ARCH_ARM64_HTTP}) {
            HttpBoot.url(cluster, n, arch).ifPresent(url -> classes.add("{ \"name\": " + str("uefi-http-"
                    + (arch == HttpBoot.ARCH_X64_HTTP ? "x86-64" : "arm64") + suffix) + ", \"test\": \"" + match
                    + "substring(option[60].hex,0,10) == 'HTTPClient' and option[93].hex == 0x" + String.format("%04x", arch)
                    + "\", \"boot-file-name\": " + str(url) + ", \"option-data\": [ "
                    + alwaysSent("vendor-class-identifier", "HTTPClient") + " ] }"));
        }
    }

    /** A class giving UEFI clients that are not iPXE a loader; none if the chain has none for that architecture. */
    private static void uefiClass(List<String> classes, String name, String test, java.util.Optional<String> file) {
        file.ifPresent(f -> classes.add("{ \"name\": " + str(name) + ", \"test\": \"not member('ipxe') and " + test + "\", "
                + "\"boot-file-name\": " + str(f) + " }"));
    }
}
