package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import java.net.InetAddress;
import java.util.Arrays;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * One DHCP exchange (DISCOVER, OFFER, REQUEST, ACK) of one client, as a pure state machine:
 * no sockets, no clock; the driver passes the time in nanoseconds and sends what it is told.
 * A NAK starts the discovery again if the profile's client does that; the retransmission
 * timers come from the profile.
 */
public final class DhcpMachine {

    /** What the driver does next. */
    public sealed interface Step {
        /** Send {@code packet} ({@code copies} times, back to back), then wait for an answer until {@code deadline}. */
        record Send(DHCPPacket packet, int copies, long deadline) implements Step {
        }

        /** Nothing to send; keep waiting until {@code deadline}. */
        record Wait(long deadline) implements Step {
        }

        /** Bound: {@code ack} holds the address and options. */
        record Bound(DHCPPacket ack) implements Step {
        }

        /** The client gave up. */
        record Failed(String why) implements Step {
        }
    }

    private enum State { DISCOVER, REQUEST, BOUND, FAILED }

    private final DhcpClientProfile profile;
    private final MacAddress mac;
    private final int xid;
    private long start;
    private State state = State.DISCOVER;
    private Backoff backoff;
    private long sentAt;
    private long deadline;
    private DHCPPacket offer;
    private DHCPPacket lastSent;
    private int retransmissions;

    /**
     * @param profile the client played
     * @param mac its card's address
     * @param xid the transaction id
     */
    public DhcpMachine(DhcpClientProfile profile, MacAddress mac, int xid) {
        this.profile = profile;
        this.mac = mac;
        this.xid = xid;
    }

    /** The transaction id. */
    public int xid() {
        return xid;
    }

    /** Packets sent again after a timeout. */
    public int retransmissions() {
        return retransmissions;
    }

    /** Starts the exchange at {@code now}: the first DISCOVER. */
    public Step start(long now) {
        start = now;
        return discover(now);
    }

    private Step discover(long now) {
        state = State.DISCOVER;
        offer = null;
        backoff = profile.discoverBackoff();
        return send(profile.discover(mac, xid, secs(now)), 1, now);
    }

    private Step send(DHCPPacket p, int copies, long now) {
        lastSent = p;
        sentAt = now;
        deadline = now + backoff.timeoutNanos();
        return new Step.Send(p, copies, deadline);
    }

    private int secs(long now) {
        return (int) Math.min(0xFFFF, (now - start) / 1_000_000_000L);
    }

    /** The deadline passed without an answer that moved the machine. */
    public Step timeout(long now) {
        if (state == State.DISCOVER && offer != null && profile.takesAtExpiry(offer, now - start)) {
            return request(now);
        }
        if (state == State.BOUND || state == State.FAILED) {
            throw new IllegalStateException("exchange " + Integer.toHexString(xid) + " already ended: " + state);
        }
        if (!backoff.expired()) {
            state = State.FAILED;
            return new Step.Failed(profile.name() + " gave up in " + state(offer) + " after " + (retransmissions + 1) + " packets");
        }
        retransmissions++;
        return send(lastSent, 1, now);
    }

    private static String state(DHCPPacket offer) {
        return offer == null ? "DISCOVER (no offer)" : "REQUEST (no ACK)";
    }

    /**
     * A packet arrived for this client: ignored unless it is an answer to this exchange.
     */
    public Step receive(DHCPPacket p, long now) {
        if (p.getOp() != DHCPConstants.BOOTREPLY || p.getXid() != xid || !Arrays.equals(chaddr(p), mac.toBytes())) {
            return new Step.Wait(deadline);
        }
        Byte type = p.getDHCPMessageType();
        if (type == null) {
            return new Step.Wait(deadline);
        }
        switch (state) {
            case DISCOVER -> {
                if (type != DHCPConstants.DHCPOFFER || p.getYiaddr() == null || p.getYiaddr().isAnyLocalAddress()) {
                    return new Step.Wait(deadline);
                }
                if (offer == null) {
                    offer = p;
                }
                if (profile.takesAtOnce(p)) {
                    offer = p;
                    return request(now);
                }
                return new Step.Wait(deadline);
            }
            case REQUEST -> {
                if (type == DHCPConstants.DHCPNAK && profile.restartsOnNak()) {
                    return discover(now);
                }
                if (type == DHCPConstants.DHCPACK && same(p.getYiaddr(), offer.getYiaddr())) {
                    if (retransmissions == 0) {
                        backoff.answered(now - sentAt);
                    }
                    state = State.BOUND;
                    return new Step.Bound(p);
                }
                return new Step.Wait(deadline);
            }
            default -> {
                return new Step.Wait(deadline);
            }
        }
    }

    private Step request(long now) {
        state = State.REQUEST;
        backoff = profile.requestBackoff(backoff);
        return send(profile.request(mac, xid, secs(now), offer), profile.requestCopies(), now);
    }

    private static boolean same(InetAddress a, InetAddress b) {
        return a != null && a.equals(b);
    }

    private static byte[] chaddr(DHCPPacket p) {
        return Arrays.copyOf(p.getChaddr(), 6);
    }
}
