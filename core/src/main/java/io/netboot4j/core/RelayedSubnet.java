package io.netboot4j.core;

import java.net.Inet4Address;
import java.util.List;

/**
 * A subnet of the cluster that the head reaches through a router, whose DHCP relay agent
 * forwards the nodes' requests to the head (RFC 1542 section 4, RFC 3046): nodes on it are
 * described like any other, with an address inside it. The DHCP server chooses this subnet
 * for a request by the relay's address ({@code giaddr}), or by the link selection
 * sub-option of option 82 (RFC 3527) or the subnet selection option 118 (RFC 3011) when the
 * relay sends one, and gives its router, mask and broadcast address.
 *
 * @param subnet the subnet
 * @param router the nodes' default gateway on it (option 3)
 * @param relays the relay agents' addresses on it ({@code giaddr}); default {@code [router]}
 */
public record RelayedSubnet(Ipv4Network subnet, Inet4Address router, List<Inet4Address> relays) {

    /** Copies the list; components are validated by {@link ClusterBuilder}. */
    public RelayedSubnet {
        relays = List.copyOf(relays);
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
