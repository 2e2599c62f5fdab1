package io.netboot4j.dhcp.internal;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cheap rejection in front of {@link DhcpEngine}: looks at the fixed BOOTP header of a
 * datagram (RFC 2131 section 2) before anything is decoded, and drops what cannot be a
 * request worth answering. Known nodes first: a node's MAC is found in a sorted array and
 * charged to its request rate; other MACs share one small rate (enough for the engine to
 * report each real unknown machine once, or to serve the dynamic pool). One receive loop
 * calls it; counters are thread-safe.
 */
public final class DhcpGate {

    /** The fixed BOOTP header; a shorter datagram is no request. */
    static final int HEADER = 236;
    /** Requests a second of all MACs that are not nodes together, when unknown clients are denied. */
    static final int UNKNOWN_RATE_DENIED = 10;
    /** Requests a second of all MACs that are not nodes together, when a dynamic pool serves them. */
    static final int UNKNOWN_RATE_POOL = 200;

    private static final String SHORT = "shorter than a BOOTP header";
    private static final String NOT_REQUEST = "not a BOOTREQUEST";
    private static final String NOT_ETHERNET = "not an Ethernet client";
    private static final String NODE_TOO_FAST = "a node over its request rate";
    private static final String UNKNOWN_TOO_FAST = "unknown clients over their request rate";

    private final Admission admission;
    private final FloodWatch floods;
    private final Clock clock;
    /** The nodes' MACs sorted, and the same MACs as objects; replaced whole by {@link #nodes(Cluster)}. */
    private record Macs(long[] values, MacAddress[] objects) {
        static Macs of(Cluster cluster) {
            Node[] nodes = cluster.nodes().toArray(Node[]::new);
            Arrays.sort(nodes, (a, b) -> Long.compare(a.mac().value(), b.mac().value()));
            return new Macs(Arrays.stream(nodes).mapToLong(n -> n.mac().value()).toArray(),
                    Arrays.stream(nodes).map(Node::mac).toArray(MacAddress[]::new));
        }
    }

    private volatile Macs macs;
    private final Admission.TokenBucket unknownRate;
    private final LongAdder rejected = new LongAdder();

    /**
     * @param cluster whose nodes come first
     * @param admission the head's budget (node request rates)
     * @param servesUnknownClients whether a dynamic pool serves machines that are not nodes
     * @param floods counts drops and reports floods
     * @param clock the time source
     */
    public DhcpGate(Cluster cluster, Admission admission, boolean servesUnknownClients, FloodWatch floods, Clock clock) {
        this.admission = admission;
        this.floods = floods;
        this.clock = clock;
        this.macs = Macs.of(cluster);
        this.unknownRate = new Admission.TokenBucket(servesUnknownClients ? UNKNOWN_RATE_POOL : UNKNOWN_RATE_DENIED,
                clock.millis());
    }

    /**
     * Whether the datagram of {@code length} bytes in {@code data} from {@code from} goes on
     * to the engine; if not, it is counted and allocates nothing.
     */
    public boolean admits(byte[] data, int length, InetAddress from) {
        String why = verdict(data, length, from);
        if (why == null) {
            return true;
        }
        rejected.increment();
        floods.dropped(from, why);
        return false;
    }

    private String verdict(byte[] data, int length, InetAddress from) {
        if (length < HEADER) {
            return SHORT;
        }
        if (data[0] != 1) {
            return NOT_REQUEST;
        }
        if (data[1] != 1 || data[2] != 6) {
            return NOT_ETHERNET;
        }
        long mac = 0;
        for (int i = 28; i < 34; i++) {
            mac = (mac << 8) | (data[i] & 0xFF);
        }
        Macs known = macs;
        int node = Arrays.binarySearch(known.values(), mac);
        if (node >= 0) {
            return admission.request(known.objects()[node], from).isEmpty() ? null : NODE_TOO_FAST;
        }
        return unknownRate.take(clock.millis()) ? null : UNKNOWN_TOO_FAST;
    }

    /** Lets the nodes of a running cluster's new description through first from now on. */
    public void nodes(Cluster cluster) {
        macs = Macs.of(cluster);
    }

    /** Datagrams dropped so far. */
    public long rejected() {
        return rejected.sum();
    }
}
