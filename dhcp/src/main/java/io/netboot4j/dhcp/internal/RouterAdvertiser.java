package io.netboot4j.dhcp.internal;

import io.netboot4j.core.MacAddress;
import io.netboot4j.core.net.Icmpv6Socket;
import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers IPv6 Router Solicitations on the cluster interface with a Router Advertisement
 * that says "there is no default router here, and no address to configure" (router lifetime
 * 0, no prefix, no M/O flags; see {@link RouterAdvertisements#advertisement}). iPXE waits
 * for IPv6 autoconfiguration on every link it opens; this answer ends that wait at once.
 *
 * <p>Only solicitations answer: no periodic unsolicited advertisements. A solicitation from
 * an address is answered to that address; one from {@code ::} (a host whose link-local
 * address is still tentative) to all nodes ({@code ff02::1}), at most once every 3 seconds
 * (MIN_DELAY_BETWEEN_RAS, RFC 4861 section 6.2.6). Answers are limited to
 * {@value #MAX_PER_SECOND} a second in all, so a solicitation flood costs bounded work.
 */
public final class RouterAdvertiser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterAdvertiser.class);

    /** Most advertisements sent in one second. */
    static final int MAX_PER_SECOND = 100;
    private static final Duration MULTICAST_GAP = Duration.ofSeconds(3);
    private static final Inet6Address ALL_NODES = v6("ff02::1");
    private static final Inet6Address ALL_ROUTERS = v6("ff02::2");

    /**
     * What the responder did so far.
     *
     * @param solicitations valid Router Solicitations received
     * @param malformed messages dropped as invalid solicitations
     * @param advertisements advertisements sent
     * @param limited solicitations not answered because of the rate limits
     * @param sendErrors advertisements that could not be sent
     */
    public record Counters(long solicitations, long malformed, long advertisements, long limited, long sendErrors) {
    }

    private final NetworkSeam seam;
    private final String interfaceName;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder solicitations = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder advertisements = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private volatile Icmpv6Socket socket;
    private volatile Thread loop;
    private byte[] advertisement;
    private Instant lastMulticast = Instant.EPOCH;
    private long windowSecond = Long.MIN_VALUE;
    private int inWindow;

    /**
     * @param seam where the socket is opened
     * @param interfaceName the cluster interface
     * @param clock for the rate limits
     */
    public RouterAdvertiser(NetworkSeam seam, String interfaceName, Clock clock) {
        this.seam = seam;
        this.interfaceName = interfaceName;
        this.clock = clock;
    }

    /**
     * Opens the raw ICMPv6 socket on the interface (joined to all-routers, {@code ff02::2})
     * and starts answering.
     *
     * @throws IOException if the socket cannot be opened (no {@code CAP_NET_RAW}, IPv6 off)
     */
    public void start() throws IOException {
        advertisement = RouterAdvertisements.advertisement(hardwareAddress());
        socket = seam.openInterfaceIcmpv6(interfaceName, RouterAdvertisements.ROUTER_SOLICITATION, List.of(ALL_ROUTERS));        Thread t = Thread.ofPlatform().daemon().name("ipv6-ra-" + interfaceName).unstarted(this::receiveLoop);
        loop = t;
        t.start();
        LOG.info("IPv6 router advertisement responder on {} (router lifetime 0, no prefix)", interfaceName);
    }

    private MacAddress hardwareAddress() throws IOException {
        try {
            return seam.call(() -> {
                NetworkInterface ni = NetworkInterface.getByName(interfaceName);
                byte[] hw = ni == null ? null : ni.getHardwareAddress();
                return hw != null && hw.length == 6 ? MacAddress.ofBytes(hw) : null;
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read the hardware address of " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    /** The counters so far. */
    public Counters counters() {
        return new Counters(solicitations.sum(), malformed.sum(), advertisements.sum(), limited.sum(), sendErrors.sum());
    }

    private void receiveLoop() {
        Icmpv6Socket s = socket;
        ByteBuffer in = ByteBuffer.allocate(1500);
        while (!closed.get()) {
            try {
                in.clear();
                Inet6Address from = s.receive(in);
                if (from != null) {
                    handle(s, in.array(), in.position(), from);
                }
            } catch (IOException | RuntimeException e) {
                if (closed.get()) {
                    break;
                }
                LOG.warn("router advertisement responder on {}: {}", interfaceName, e.toString());
                sleepQuietly();
            }
        }
    }

    private void handle(Icmpv6Socket s, byte[] message, int length, Inet6Address from) {
        boolean unspecified = from.isAnyLocalAddress();
        if (!RouterAdvertisements.isValidSolicitation(message, length, unspecified)) {
            malformed.increment();
            return;
        }
        solicitations.increment();
        Instant now = clock.instant();
        Inet6Address to = from;
        if (unspecified) {
            if (now.isBefore(lastMulticast.plus(MULTICAST_GAP))) {
                limited.increment();
                return;
            }
            lastMulticast = now;
            to = ALL_NODES;
        }
        long second = now.getEpochSecond();
        if (second != windowSecond) {
            windowSecond = second;
            inWindow = 0;
        }
        if (++inWindow > MAX_PER_SECOND) {
            limited.increment();
            return;
        }
        try {
            s.send(ByteBuffer.wrap(advertisement), to);
            advertisements.increment();
            LOG.debug("router advertisement (lifetime 0) to {} on {}", to.getHostAddress(), interfaceName);
        } catch (IOException e) {
            sendErrors.increment();
            if (!closed.get()) {
                LOG.warn("could not send a router advertisement to {} on {}: {}", to.getHostAddress(), interfaceName, e.getMessage());
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Inet6Address v6(String text) {
        try {
            return (Inet6Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops answering; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Icmpv6Socket s = socket;
        if (s != null) {
            s.close();
        }
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("router advertisement responder on {} stopped: {}", interfaceName, counters());
    }
}
