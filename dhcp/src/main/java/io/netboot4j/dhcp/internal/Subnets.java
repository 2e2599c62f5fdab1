package io.netboot4j.dhcp.internal;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.Network;
import io.netboot4j.core.RelayedSubnet;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhcp4java.DHCPOption;
import org.dhcp4java.DHCPPacket;

/**
 * The cluster's subnets as the DHCP server sees them: the directly attached one and those
 * behind relay agents, which subnet a request comes from, and the network options (mask,
 * router, broadcast, DNS, domain) of each.
 *
 * <p>A request's subnet is named, in this order, by the link selection sub-option (5) of
 * the relay agent option 82 (RFC 3527), the subnet selection option 118 (RFC 3011), the
 * relay's address {@code giaddr} (RFC 2131 section 4.3.1); a request with none of them came
 * from the attached subnet.
 */
final class Subnets {

    static final byte OPT_SUBNET_SELECTION = 118;
    static final int AGENT_LINK_SELECTION = 5;

    private final Ipv4Network attached;
    private final Map<Ipv4Network, List<DHCPOption>> options = new LinkedHashMap<>();

    Subnets(Network net) {
        attached = net.subnet();
        options.put(attached, options(net.netmask(), net.router(), net.broadcast(), net));
        for (RelayedSubnet r : net.relayedSubnets()) {
            options.put(r.subnet(), options(r.netmask(), r.router(), r.broadcast(), net));
        }
    }

    private static List<DHCPOption> options(Inet4Address mask, Inet4Address router, Inet4Address broadcast, Network net) {
        List<DHCPOption> opts = new ArrayList<>();
        opts.add(DHCPOption.newOptionAsInetAddress(DhcpEngine.OPT_MASK, mask));
        opts.add(DHCPOption.newOptionAsInetAddress(DhcpEngine.OPT_ROUTER, router));
        opts.add(DHCPOption.newOptionAsInetAddress(DhcpEngine.OPT_BROADCAST, broadcast));
        if (!net.dnsServers().isEmpty()) {
            opts.add(DHCPOption.newOptionAsInetAddresses(DhcpEngine.OPT_DNS, net.dnsServers().toArray(new Inet4Address[0])));
        }
        if (!net.domain().isEmpty()) {
            opts.add(DHCPOption.newOptionAsString(DhcpEngine.OPT_DOMAIN, net.domain()));
        }
        return List.copyOf(opts);
    }

    /** The directly attached subnet. */
    Ipv4Network attached() {
        return attached;
    }

    /**
     * The cluster subnet {@code req} comes from, or {@code null} if its link address lies on
     * none of them.
     *
     * @throws IllegalArgumentException if option 118 or the link selection sub-option is not 4 bytes,
     *     or option 82 is truncated
     */
    Ipv4Network of(DHCPPacket req) {
        int link = linkAddress(req);
        if (link == 0) {
            return attached;
        }
        Inet4Address a = Ipv4.fromInt(link);
        for (Ipv4Network n : options.keySet()) {
            if (n.contains(a)) {
                return n;
            }
        }
        return null;
    }

    /** The address naming the request's subnet, 0 for the attached one. */
    static int linkAddress(DHCPPacket req) {
        byte[] agent = req.getOptionRaw(DhcpEngine.OPT_RELAY_AGENT);
        if (agent != null) {
            for (int at = 0; at < agent.length; ) {
                if (at + 2 > agent.length || at + 2 + (agent[at + 1] & 0xFF) > agent.length) {
                    throw new IllegalArgumentException("relay agent option 82 is truncated");
                }
                int code = agent[at] & 0xFF;
                int len = agent[at + 1] & 0xFF;
                if (code == AGENT_LINK_SELECTION) {
                    if (len != 4) {
                        throw new IllegalArgumentException("link selection sub-option has " + len + " bytes, not 4");
                    }
                    return DhcpEngine.toInt(java.util.Arrays.copyOfRange(agent, at + 2, at + 6));
                }
                at += 2 + len;
            }
        }
        byte[] selection = req.getOptionRaw(OPT_SUBNET_SELECTION);
        if (selection != null) {
            if (selection.length != 4) {
                throw new IllegalArgumentException("subnet selection option 118 has " + selection.length + " bytes, not 4");
            }
            return DhcpEngine.toInt(selection);
        }
        return DhcpEngine.toInt(req.getGiaddrRaw());
    }

    /** The network options for a client with {@code address} (the attached subnet's if it is on none). */
    List<DHCPOption> optionsFor(int address) {
        Inet4Address a = Ipv4.fromInt(address);
        for (Map.Entry<Ipv4Network, List<DHCPOption>> e : options.entrySet()) {
            if (e.getKey().contains(a)) {
                return e.getValue();
            }
        }
        return options.get(attached);
    }
}
