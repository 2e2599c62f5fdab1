package io.netboot4j.core;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

/**
 * One diskless node of the cluster: the guide's {@code host} block.
 *
 * @param name the node's host name, given to it by DHCP (the guide's {@code use-host-decl-names})
 * @param mac the MAC address of the network card it boots from
 * @param address the fixed IPv4 address DHCP gives it
 * @param kernelArguments extra kernel arguments for this node alone (appended after the cluster's)
 * @param uefiChain the UEFI loaders this node runs, if not its boot profile's {@link BootProfile#uefiChain()}
 * @param group the {@link NodeGroup} whose boot profile this node boots, if not the cluster's
 */
public record Node(Hostname name, MacAddress mac, Inet4Address address, List<String> kernelArguments,
                   Optional<UefiChain> uefiChain, Optional<String> group) {

    /** @throws IllegalArgumentException if a component is null or an argument contains white space */
    public Node {
        if (name == null || mac == null || address == null || uefiChain == null || group == null) {
            throw new IllegalArgumentException("a node needs a name, a MAC address and an IPv4 address");
        }
        kernelArguments = KernelArguments.check(kernelArguments);
    }

    /** A node in no group. */
    public Node(Hostname name, MacAddress mac, Inet4Address address, List<String> kernelArguments, Optional<UefiChain> uefiChain) {
        this(name, mac, address, kernelArguments, uefiChain, Optional.empty());
    }

    /** A node with extra kernel arguments and the cluster's UEFI chain. */
    public Node(Hostname name, MacAddress mac, Inet4Address address, List<String> kernelArguments) {
        this(name, mac, address, kernelArguments, Optional.empty());
    }

    /** A node without extra kernel arguments. */
    public Node(Hostname name, MacAddress mac, Inet4Address address) {
        this(name, mac, address, List.of());
    }

    /** This node running {@code chain} when it boots through UEFI. */
    public Node withUefiChain(UefiChain chain) {
        return new Node(name, mac, address, kernelArguments, Optional.of(chain), group);
    }

    /** This node in the {@link NodeGroup} named {@code group}, or in none if it is {@code null}. */
    public Node withGroup(String group) {
        return new Node(name, mac, address, kernelArguments, uefiChain, Optional.ofNullable(group));
    }

    /** The node's name as a string. */
    public String hostname() {
        return name.value();
    }
}
