package io.netboot4j.core;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A 48-bit IEEE 802 MAC address.
 *
 * <p>Parses the colon ({@code 52:54:00:12:34:56}), dash ({@code 52-54-00-12-34-56})
 * and bare ({@code 525400123456}) forms, in either case. {@link #toString()} prints the
 * canonical lower-case colon form; {@link #pxelinuxName()} prints the file name that
 * pxelinux looks up for this address ({@code 01-52-54-00-12-34-56}).
 *
 * @param value the 48 address bits in the low bits of a {@code long}
 */
public record MacAddress(long value) implements Comparable<MacAddress> {

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    /**
     * Creates an address from its 48-bit value.
     *
     * @throws IllegalArgumentException if {@code value} has bits above bit 47 set
     */
    public MacAddress {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("MAC address value 0x" + Long.toHexString(value) + " has more than 48 bits");
        }
    }

    /**
     * Parses a MAC address in colon, dash or bare hexadecimal form.
     *
     * @param text the address, for example {@code "01:2D:61:C7:17:86"}
     * @return the address
     * @throws IllegalArgumentException naming {@code text} if it is not a MAC address
     */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address must not be null");
        }
        String t = text.strip();
        String hex;
        if (t.length() == 17 && (allSeparators(t, ':') || allSeparators(t, '-'))) {
            StringBuilder b = new StringBuilder(12);
            for (int i = 0; i < 17; i += 3) {
                b.append(t, i, i + 2);
            }
            hex = b.toString();
        } else if (t.length() == 12) {
            hex = t;
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address: expected six hex pairs such as 52:54:00:12:34:56");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address: '" + hex.charAt(i) + "' is not a hex digit");
            }
        }
        return new MacAddress(Long.parseLong(hex, 16));
    }

    private static boolean allSeparators(String t, char sep) {
        for (int i = 2; i < 17; i += 3) {
            if (t.charAt(i) != sep) {
                return false;
            }
        }
        return true;
    }

    /**
     * Creates an address from six bytes, as carried in a DHCP {@code chaddr} field.
     *
     * @param bytes at least six bytes; the first six are used
     * @return the address
     * @throws IllegalArgumentException if fewer than six bytes are given
     */
    public static MacAddress ofBytes(byte[] bytes) {
        if (bytes == null || bytes.length < 6) {
            throw new IllegalArgumentException("a MAC address needs 6 bytes");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Returns the six bytes of this address, most significant first. */
    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (8 * (5 - i)));
        }
        return b;
    }

    /**
     * Returns the address {@code n} above this one (wrapping within 48 bits); used to
     * number the nodes of a cluster from a first MAC.
     */
    public MacAddress plus(long n) {
        return new MacAddress((value + n) & MASK);
    }

    /**
     * Whether the group (multicast) bit, the lowest bit of the first byte, is set. No
     * network card has such an address, so a node cannot have one.
     */
    public boolean isMulticast() {
        return ((value >>> 40) & 1) != 0;
    }

    /** Whether the locally-administered bit is set (QEMU's {@code 52:54:00} is not, for example). */
    public boolean isLocallyAdministered() {
        return ((value >>> 40) & 2) != 0;
    }

    /** The address with separator {@code sep} between lower-case hex pairs. */
    public String format(char sep) {
        String hex = HexFormat.of().toHexDigits(value).substring(4);
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(sep);
            }
            b.append(hex, i, i + 2);
        }
        return b.toString();
    }

    /** The pxelinux configuration file name: ARP type 1, then the dash form ({@code 01-52-54-00-12-34-56}). */
    public String pxelinuxName() {
        return "01-" + format('-');
    }

    /** The upper-case colon form used by ISC dhcpd examples ({@code 01:2D:61:C7:17:86}). */
    public String toUpperString() {
        return format(':').toUpperCase(Locale.ROOT);
    }

    /** The canonical lower-case colon form, for example {@code 52:54:00:12:34:56}. */
    @Override
    public String toString() {
        return format(':');
    }

    @Override
    public int compareTo(MacAddress o) {
        return Long.compare(value, o.value);
    }
}
