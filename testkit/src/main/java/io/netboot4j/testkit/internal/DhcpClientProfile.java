package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import org.dhcp4java.DHCPPacket;

/**
 * What one real DHCP client sends and how long it waits: iPXE's ({@link IpxeDhcp}) or
 * klibc {@code ipconfig}'s ({@link KlibcDhcp}). {@link DhcpMachine} runs the exchange.
 */
public interface DhcpClientProfile {

    /** A short name for results, for example {@code iPXE}. */
    String name();

    /** The DHCPDISCOVER this client sends ({@code secs} seconds after it started). */
    DHCPPacket discover(MacAddress mac, int xid, int secs);

    /** The DHCPREQUEST this client sends for {@code offer}. */
    DHCPPacket request(MacAddress mac, int xid, int secs, DHCPPacket offer);

    /** A fresh retransmission timer for the DISCOVER state. */
    Backoff discoverBackoff();

    /**
     * The retransmission timer for the REQUEST state: a fresh one (iPXE), or the DISCOVER
     * state's {@code discovering}, expired once more (klibc keeps one timer for the exchange).
     */
    Backoff requestBackoff(Backoff discovering);

    /** How many copies of its first DHCPREQUEST the client sends, back to back (1 ms apart). */
    int requestCopies();

    /**
     * Whether a DHCPNAK to its REQUEST sends the client back to DISCOVER (klibc), or is
     * ignored like any answer that is not an ACK (iPXE's {@code dhcp_request_rx}).
     */
    boolean restartsOnNak();

    /** Whether the client requests {@code offer} as soon as it arrives (klibc). */
    boolean takesAtOnce(DHCPPacket offer);

    /**
     * Whether the client, its timer expired {@code elapsedNanos} after its start, requests
     * the offer it holds instead of sending its DISCOVER again (iPXE keeps listening for
     * ProxyDHCP offers until then).
     */
    boolean takesAtExpiry(DHCPPacket offer, long elapsedNanos);
}
