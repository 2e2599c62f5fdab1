package io.netboot4j.dhcp.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.Discovery;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.dhcp4java.DHCPPacket;

/**
 * Discovery mode of the embedded DHCP server: machines that are not nodes and PXE-boot get
 * an address of the discovery pool (no boot file) and are announced once as a
 * {@link BootEvent.NodeDiscovered} while their record lives. What is remembered is bounded:
 * the pool's leases (its size; offers held {@link LeaseStore#OFFER_HOLD}, leases
 * {@link Discovery#leaseTime()}), and at most {@link Discovery#maxRecords()} announcements. Not
 * thread-safe: the engine's receive loop is its only user.
 */
final class Discoveries {

    private final Discovery settings;
    private final LeaseStore pool;
    private final Map<MacAddress, Instant> announced;

    Discoveries(Discovery settings, LeaseStore pool) {
        this.settings = settings;
        this.pool = pool;
        this.announced = new BoundedMap<>(settings.maxRecords());
    }

    /** Whether the client of {@code req} is PXE-booting: a PXE or iPXE client, or one naming its architecture (option 93). */
    static boolean pxeBooting(DHCPPacket req) {
        Pxe pxe = Pxe.of(req);
        return pxe.pxeClient() || pxe.ipxe() || pxe.architecture() >= 0;
    }

    LeaseStore pool() {
        return pool;
    }

    Duration leaseTime() {
        return settings.leaseTime();
    }

    /** Whether the client of {@code req} holds (or was offered) a discovery lease. */
    boolean holds(DHCPPacket req) {
        return pool.leaseOf(MacAddress.ofBytes(Arrays.copyOf(req.getChaddr(), 6))) != null;
    }

    /** An address of the discovery pool for {@code mac}, held as offered; null if the pool is exhausted. */
    Integer offer(DHCPPacket req, MacAddress mac, Instant now) {
        pool.expireOffers(now);
        return pool.offer(mac, DhcpEngine.toInt(Optional.ofNullable(req.getOptionRaw(DhcpEngine.OPT_REQUESTED_ADDRESS))
                .filter(v -> v.length == 4).orElse(new byte[4])), now);
    }

    /** The event announcing {@code mac}, unless it was announced within the record lifetime. */
    Optional<BootEvent.NodeDiscovered> announce(DHCPPacket req, MacAddress mac, int address, Instant now) {
        Instant last = announced.get(mac);
        if (last != null && now.isBefore(last.plus(settings.recordLifetime()))) {
            return Optional.empty();
        }
        announced.remove(mac);
        announced.put(mac, now);
        Pxe pxe = Pxe.of(req);
        byte[] vendor = req.getOptionRaw(DhcpEngine.OPT_VENDOR_CLASS);
        int giaddr = DhcpEngine.toInt(req.getGiaddrRaw());
        return Optional.of(new BootEvent.NodeDiscovered(now, mac, Ipv4.fromInt(address), pxe.architecture(),
                vendor == null ? "" : printable(vendor), guid(pxe.guid()),
                giaddr == 0 ? Optional.<Inet4Address>empty() : Optional.of(Ipv4.fromInt(giaddr))));
    }

    /**
     * Option 97 (RFC 4578 2.3): type 0 and a 16-byte UUID, shown as a UUID of the bytes in the
     * order sent (as dnsmasq logs it); anything else in hexadecimal.
     */
    static String guid(byte[] option) {
        if (option == null) {
            return "";
        }
        if (option.length == 17 && option[0] == 0) {
            ByteBuffer b = ByteBuffer.wrap(option, 1, 16);
            return new UUID(b.getLong(), b.getLong()).toString();
        }
        return HexFormat.of().formatHex(option);
    }

    /** The vendor class as text, with anything but printable ASCII replaced by '?'. */
    private static String printable(byte[] v) {
        String s = new String(v, StandardCharsets.ISO_8859_1);
        return s.codePoints().map(c -> c > 0x20 && c < 0x7F ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
