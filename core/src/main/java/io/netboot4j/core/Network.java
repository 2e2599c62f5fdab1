package io.netboot4j.core;

import java.net.Inet4Address;
import java.util.List;

/**
 * The cluster network as seen from the head node: the guide's second network card,
 * its subnet and the options DHCP hands out.
 *
 * @param interfaceName the head's interface on the cluster network (the guide's {@code eth0});
 *     servers receive and send on it alone
 * @param subnet the cluster subnet
 * @param server the head's own address on that interface; DHCP {@code next-server}
 * @param router the default gateway given to nodes; defaults to {@link #server()}
 * @param dnsServers name servers given to nodes; default {@code [server]}
 * @param domain the DNS domain (the guide's {@code kerrighed}), may be empty
 * @param serverName the head's name, DHCP {@code server-name} (the guide's {@code kerrighedserver})
 * @param relayedSubnets further subnets reached through routers with DHCP relay agents; default none
 */
public record Network(String interfaceName, Ipv4Network subnet, Inet4Address server, Inet4Address router,
                      List<Inet4Address> dnsServers, String domain, Hostname serverName, List<RelayedSubnet> relayedSubnets) {

    /** Copies the lists; components are validated by {@link ClusterBuilder}. */
    public Network {
        dnsServers = List.copyOf(dnsServers);
        domain = domain == null ? "" : domain;
        relayedSubnets = relayedSubnets == null ? List.of() : List.copyOf(relayedSubnets);
    }

    /** A network of one directly attached subnet, without relayed subnets. */
    public Network(String interfaceName, Ipv4Network subnet, Inet4Address server, Inet4Address router,
                   List<Inet4Address> dnsServers, String domain, Hostname serverName) {
        this(interfaceName, subnet, server, router, dnsServers, domain, serverName, List.of());
    }

    /** The relayed subnet that contains {@code address}, if any (never the directly attached one). */
    public java.util.Optional<RelayedSubnet> relayedSubnetOf(Inet4Address address) {
        return relayedSubnets.stream().filter(s -> s.subnet().contains(address)).findFirst();
    }

    /** The subnet's broadcast address. */
    public Inet4Address broadcast() {
        return subnet.broadcast();
    }

    /** The subnet's netmask. */
    public Inet4Address netmask() {
        return subnet.netmask();
    }
}
