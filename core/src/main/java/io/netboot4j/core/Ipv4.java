package io.netboot4j.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IPv4 address parsing and arithmetic on {@link Inet4Address}, never touching
 * DNS (unlike {@link InetAddress#getByName}).
 */
public final class Ipv4 {

    private Ipv4() {
    }

    /**
     * Parses a dotted-quad address such as {@code 192.168.1.101}.
     *
     * @param text four decimal octets 0–255 separated by dots, without leading zeros
     * @return the address
     * @throws IllegalArgumentException naming {@code text} if it is not a dotted quad
     */
    public static Inet4Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address must not be null");
        }
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: expected four dotted octets such as 192.168.1.1");
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: bad octet '" + p + "'");
            }
            int o = Integer.parseInt(p);
            if (o > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: octet " + o + " is above 255");
            }
            v = (v << 8) | o;
        }
        return fromInt(v);
    }

    /** The address as a big-endian 32-bit integer. */
    public static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The address of a big-endian 32-bit integer. */
    public static Inet4Address fromInt(int v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    /** The address {@code n} above {@code a}, wrapping at 2^32. */
    public static Inet4Address plus(Inet4Address a, long n) {
        return fromInt((int) (toInt(a) + n));
    }

    /** The dotted-quad text of {@code a}, without a host name. */
    public static String format(Inet4Address a) {
        return a.getHostAddress();
    }

    /** The last octet of {@code a} (Kerrighed's node id, for example). */
    public static int lastOctet(Inet4Address a) {
        return toInt(a) & 0xFF;
    }
}
