package io.netboot4j.core;

import java.net.Inet4Address;

/**
 * An IPv4 subnet: a network address and a prefix length.
 *
 * <p>Parses CIDR ({@code 192.168.1.0/24}) and address-plus-netmask
 * ({@code 192.168.1.0 255.255.255.0} or {@code 192.168.1.0/255.255.255.0}) forms;
 * prints CIDR.
 *
 * @param network the network address (host bits zero)
 * @param prefixLength 0–32
 */
public record Ipv4Network(Inet4Address network, int prefixLength) {

    /**
     * @throws IllegalArgumentException if the prefix is outside 0–32 or {@code network}
     *     has host bits set
     */
    public Ipv4Network {
        if (network == null) {
            throw new IllegalArgumentException("network address must not be null");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0-32");
        }
        int mask = maskOf(prefixLength);
        if ((Ipv4.toInt(network) & ~mask) != 0) {
            throw new IllegalArgumentException("'" + Ipv4.format(network) + "/" + prefixLength
                    + "' has host bits set; the network is " + Ipv4.format(Ipv4.fromInt(Ipv4.toInt(network) & mask)) + "/" + prefixLength);
        }
    }

    /**
     * Parses a subnet in CIDR or address-plus-netmask form.
     *
     * @throws IllegalArgumentException naming {@code text} if it is malformed, the
     *     netmask is not contiguous, or host bits are set
     */
    public static Ipv4Network parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("subnet must not be null");
        }
        String t = text.strip();
        String[] parts = t.split("[/\\s]+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet: expected CIDR such as 192.168.1.0/24");
        }
        try {
            Inet4Address address = Ipv4.parse(parts[0]);
            if (parts[1].contains(".")) {
                return of(address, Ipv4.parse(parts[1]));
            }
            if (!parts[1].chars().allMatch(Character::isDigit) || parts[1].length() > 2) {
                throw new IllegalArgumentException("bad prefix length '" + parts[1] + "'");
            }
            return new Ipv4Network(address, Integer.parseInt(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a subnet: " + e.getMessage(), e);
        }
    }

    /**
     * A subnet from its network address and netmask.
     *
     * @throws IllegalArgumentException if the netmask is not a contiguous run of ones
     */
    public static Ipv4Network of(Inet4Address network, Inet4Address netmask) {
        int m = Ipv4.toInt(netmask);
        int prefix = Integer.bitCount(m);
        if (m != maskOf(prefix)) {
            throw new IllegalArgumentException("netmask " + Ipv4.format(netmask) + " is not contiguous");
        }
        return new Ipv4Network(network, prefix);
    }

    /** The subnet of {@code prefixLength} that contains {@code address}. */
    public static Ipv4Network containing(Inet4Address address, int prefixLength) {
        return new Ipv4Network(Ipv4.fromInt(Ipv4.toInt(address) & maskOf(prefixLength)), prefixLength);
    }

    private static int maskOf(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** The netmask, for example {@code 255.255.255.0}. */
    public Inet4Address netmask() {
        return Ipv4.fromInt(maskOf(prefixLength));
    }

    /** The broadcast address: all host bits set. */
    public Inet4Address broadcast() {
        return Ipv4.fromInt(Ipv4.toInt(network) | ~maskOf(prefixLength));
    }

    /** Whether {@code address} lies in this subnet (network and broadcast included). */
    public boolean contains(Inet4Address address) {
        int m = maskOf(prefixLength);
        return (Ipv4.toInt(address) & m) == Ipv4.toInt(network);
    }

    /** The number of addresses in the subnet, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /**
     * The {@code n}-th host address: {@code host(1)} is the first usable address.
     *
     * @throws IllegalArgumentException if {@code n} is not between 1 and the last usable host
     */
    public Inet4Address host(long n) {
        long usable = prefixLength >= 31 ? size() : size() - 2;
        if (n < 1 || n > usable) {
            throw new IllegalArgumentException("host " + n + " is outside " + this + " (1-" + usable + ")");
        }
        return Ipv4.plus(network, prefixLength >= 31 ? n - 1 : n);
    }

    /** CIDR form, for example {@code 192.168.1.0/24}. */
    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefixLength;
    }
}
