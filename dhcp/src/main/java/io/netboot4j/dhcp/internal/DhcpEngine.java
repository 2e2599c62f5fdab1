package io.netboot4j.dhcp.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Network;
import io.netboot4j.core.Node;
import io.netboot4j.dhcp.DhcpCounters;
import io.netboot4j.dhcp.DhcpSettings;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dhcp4java.DHCPOption;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP decisions of the embedded server as one function of a datagram and the time:
 * {@link #handle(byte[], int, Instant)} returns the reply to send (or nothing) and emits a
 * {@link BootEvent} for every decision. No sockets, no threads: the server around it is thin,
 * and tests and property tests call it directly.
 *
 * <p>RFC 2131 and 2132, with the guide's policy (only the cluster's nodes, no BOOTP unless
 * allowed) and PXE per RFC 4578. Not thread-safe: one receive loop calls it.
 */
public final class DhcpEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpEngine.class);

    static final byte DISCOVER = 1;
    static final byte OFFER = 2;
    static final byte REQUEST = 3;
    static final byte DECLINE = 4;
    static final byte ACK = 5;
    static final byte NAK = 6;
    static final byte RELEASE = 7;
    static final byte INFORM = 8;

    static final byte OPT_MASK = 1;
    static final byte OPT_ROUTER = 3;
    static final byte OPT_DNS = 6;
    static final byte OPT_HOSTNAME = 12;
    static final byte OPT_DOMAIN = 15;
    static final byte OPT_ROOT_PATH = 17;
    static final byte OPT_BROADCAST = 28;
    static final byte OPT_VENDOR_SPECIFIC = 43;
    static final byte OPT_REQUESTED_ADDRESS = 50;
    static final byte OPT_LEASE_TIME = 51;
    static final byte OPT_MESSAGE_TYPE = 53;
    static final byte OPT_SERVER_ID = 54;
    static final byte OPT_MESSAGE = 56;
    static final byte OPT_MAX_SIZE = 57;
    static final byte OPT_T1 = 58;
    static final byte OPT_T2 = 59;
    static final byte OPT_VENDOR_CLASS = 60;
    static final byte OPT_USER_CLASS = 77;
    static final byte OPT_CLIENT_ARCH = 93;
    static final byte OPT_CLIENT_GUID = 97;
    static final byte OPT_RELAY_AGENT = 82;
    static final byte OPT_IPXE_ENCAP = (byte) 175;

    /** Default largest reply: 576-byte IP datagram minus IP and UDP headers (RFC 2131 section 2). */
    static final int DEFAULT_MAX_REPLY = 576 - 28;
    /** Largest reply we ever send: an Ethernet frame's payload minus IP and UDP headers. */
    static final int ABSOLUTE_MAX_REPLY = 1500 - 28;
    /** BOOTP replies are padded to at least 300 bytes (RFC 951, RFC 1542), as ISC dhcpd does. */
    static final int MIN_REPLY = 300;
    /** Receive buffer size: larger datagrams than an Ethernet frame are malformed anyway. */
    public static final int MAX_REQUEST = 2048;

    private static final byte[] PXE_CLIENT = "PXEClient".getBytes(StandardCharsets.US_ASCII);
    /** PXE vendor option 43: discovery control (6) = 8, "boot file in this offer, skip boot server discovery". */
    private static final byte[] PXE_DISCOVERY_CONTROL = {6, 1, 8, (byte) 255};
    /**
     * iPXE encapsulated option 175, sub-option 176 ({@code no-pxedhcp}) = 1: "do not wait for
     * ProxyDHCP offers". Without it iPXE waits for ProxyDHCP answers to a PXE-flavoured offer
     * before it requests the address.
     */
    static final byte[] IPXE_NO_PXEDHCP = {(byte) 176, 1, 1};

    /**
     * A reply to send.
     *
     * @param data the DHCP message
     * @param to the destination address (255.255.255.255 for a broadcast)
     * @param port the destination UDP port
     * @param type the DHCP message type (0 for a BOOTP reply)
     */
    public record Reply(byte[] data, Inet4Address to, int port, byte type) {
    }

    /** The nodes as a running cluster last described them; replaced whole by {@link #update(Cluster)}. */
    private volatile NodeBook latest;
    /** The book the datagram being handled is answered from (read once per datagram). */
    private NodeBook book;
    private final DhcpSettings settings;
    private final LeaseStore pool;
    /** The discovery pool and its announcements, or null if discovery is off. */
    private final Discoveries discoveries;
    private final BootEventListener events;
    private final int server;
    private final Inet4Address serverAddress;
    private final int clientPort;
    private final int serverPort;
    private final String interfaceName;
    private final DhcpTally tally = new DhcpTally();
    private Instant lastExhausted;
    private final Subnets subnets;
    private final DHCPOption rootPath;


    /**
     * @param cluster the validated cluster
     * @param settings its DHCP settings
     * @param pool the dynamic pool, or {@code null} if unknown clients are denied
     * @param events where decisions are reported
     */
    public DhcpEngine(Cluster cluster, DhcpSettings settings, LeaseStore pool, BootEventListener events) {
        this(cluster, settings, pool, null, events);
    }

    /**
     * @param cluster the validated cluster
     * @param settings its DHCP settings
     * @param pool the dynamic pool, or {@code null} if unknown clients are denied
     * @param discoveryPool the discovery pool (the cluster has {@link io.netboot4j.core.Discovery}
     *     settings), or {@code null} if discovery is off
     * @param events where decisions are reported
     */
    public DhcpEngine(Cluster cluster, DhcpSettings settings, LeaseStore pool, LeaseStore discoveryPool, BootEventListener events) {
        this.discoveries = discoveryPool == null ? null
                : new Discoveries(cluster.extension(io.netboot4j.core.Discovery.class).orElseThrow(), discoveryPool);
        this.latest = NodeBook.of(cluster);
        this.book = latest;
        this.settings = settings;
        this.pool = pool;
        this.events = events;
        Network net = cluster.network();
        this.serverAddress = net.server();
        this.server = Ipv4.toInt(net.server());
        this.clientPort = cluster.ports().dhcpClient();
        this.serverPort = cluster.ports().dhcpServer();
        this.interfaceName = net.interfaceName();
        this.subnets = new Subnets(net);
        this.rootPath = DHCPOption.newOptionAsString(OPT_ROOT_PATH, rootPath(cluster));
    }

    /**
     * Answers from {@code next} from the next datagram on (any thread may call this; the
     * receive loop sees the change at its next datagram). Nodes that are no longer in it get
     * no offer, and their requests a DHCPNAK; see the module README.
     *
     * @param next the running cluster's new description (same network and ports)
     */
    public void update(Cluster next) {
        synchronized (this) {
            latest = latest.next(next);
        }
    }

    /** The root path handed out in option 17: {@code <server>:<root folder>}, as the guide's {@code option root-path}. */
    public static String rootPath(Cluster cluster) {
        return Ipv4.format(cluster.network().server()) + ":" + cluster.rootFilesystem().path();
    }

    /** The root path of {@code node}: its group's root if it has one of its own ({@link Cluster#rootFilesystem(Node)}). */
    public static String rootPath(Cluster cluster, Node node) {
        return Ipv4.format(cluster.network().server()) + ":" + cluster.rootFilesystem(node).path();
    }

    /** Whether {@code node} mounts another root than the cluster's (so its option 17 is its own). */
    public static boolean hasOwnRoot(Cluster cluster, Node node) {
        return node != null && !cluster.rootFilesystem(node).path().equals(cluster.rootFilesystem().path());
    }

    /** The counters so far. */
    public DhcpCounters counters() {
        return tally.counters();
    }

    /** The counts behind {@link #counters()}, for the server to add what fails outside the engine. */
    public DhcpTally tally() {
        return tally;
    }

    /** The dynamic pool, or null. */
    public LeaseStore pool() {
        return pool;
    }

    /** The discovery pool, or null if discovery is off. */
    public LeaseStore discoveryPool() {
        return discoveries == null ? null : discoveries.pool();
    }

    /** The store holding a lease of the unknown client {@code mac}: discovery first, else the dynamic pool (either may be null). */
    private LeaseStore storeOf(MacAddress mac) {
        return discoveries != null && (discoveries.pool().leaseOf(mac) != null || pool == null) ? discoveries.pool() : pool;
    }

    private java.time.Duration leaseTime(LeaseStore store) {
        return store == pool ? settings.leaseTime() : discoveries.leaseTime();
    }


    /**
     * Handles one datagram received on the cluster interface.
     *
     * @param data the buffer holding the datagram from offset 0
     * @param length the datagram's length
     * @param now the time of arrival
     * @return the reply to send, or {@code null} for none; never throws
     */
    public Reply handle(byte[] data, int length, Instant now) {
        book = latest;
        return tally.handle(length, () -> dispatch(data, length, now));
    }

    private Reply dispatch(byte[] data, int length, Instant now) throws Malformed {
        DHCPPacket req;
        try {
            req = DHCPPacket.getPacket(data, 0, length, true);
        } catch (RuntimeException e) {
            throw new Malformed(e.getMessage());
        }
        if (req.getOp() != 1) {
            tally.ignored.increment(); // a BOOTREPLY of some server, or junk that is not a request
            return null;
        }
        if (req.getHtype() != 1 || req.getHlen() != 6) {
            throw new Malformed("hardware type " + req.getHtype() + "/length " + req.getHlen() + " is not Ethernet");
        }
        MacAddress mac = MacAddress.ofBytes(Arrays.copyOf(req.getChaddr(), 6));
        if (mac.isMulticast() || mac.value() == 0) {
            throw new Malformed("client hardware address " + mac + " is not a unicast address");
        }
        byte[] type = req.getOptionRaw(OPT_MESSAGE_TYPE);
        if (!req.isDhcp() || type == null) {
            return bootp(req, mac, now);
        }
        if (type.length != 1) {
            throw new Malformed("DHCP message type option has " + type.length + " bytes");
        }
        return switch (type[0]) {
            case DISCOVER -> discover(req, mac, now);
            case REQUEST -> request(req, mac, now);
            case DECLINE -> decline(req, mac, now);
            case RELEASE -> release(req, mac, now);
            case INFORM -> inform(req, mac, now);
            case OFFER, ACK, NAK -> {
                tally.ignored.increment();
                yield null;
            }
            default -> throw new Malformed("unknown DHCP message type " + type[0]);
        };
    }

    private Reply discover(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        Node node = book.node(mac);
        int address;
        if (node != null) {
            address = Ipv4.toInt(node.address());
            if (!onRequestSubnet(req, address, mac)) {
                return null;
            }
        } else if (discoveries != null && Discoveries.pxeBooting(req)) {
            if (!onRequestSubnet(req, Ipv4.toInt(subnets.attached().network()), mac)) { // the pool is on the attached subnet
                return null;
            }
            Integer a = discoveries.offer(req, mac, now);
            if (a == null) {
                tally.ignored.increment();
                return null;
            }
            address = a;
            discoveries.announce(req, mac, a, now).ifPresent(this::emit);
        } else if (pool != null) {
            // the pool of the subnet the client asks from (the attached one, or a relay's)
            io.netboot4j.core.Ipv4Network from = requestSubnet(req);
            java.util.function.IntPredicate there = a -> from != null && from.contains(Ipv4.fromInt(a));
            if (!pool.hasRange(there)) {
                tally.ignored.increment();
                LOG.debug("ignored {}: no dynamic pool on the subnet it asks from ({})", mac, from == null ? "none of the cluster's" : from);
                return null;
            }
            int requested = optionAddress(req, OPT_REQUESTED_ADDRESS);
            pool.expireOffers(now);
            Integer a = pool.offer(mac, requested, now, there);
            if (a == null) {
                tally.ignored.increment();
                if (lastExhausted == null || !now.isBefore(lastExhausted.plusSeconds(60))) {
                    // At most once a minute: a busy network would otherwise flood the log.
                    lastExhausted = now;
                    LOG.warn("dynamic pool is exhausted: no address for {}", mac);
                    emit(new BootEvent.ServiceProblem(now, "embedded DHCP", "dynamic pool exhausted: no address for " + mac));
                }
                return null;
            }
            address = a;
        } else {
            unknown(mac, "DHCPDISCOVER", now);
            return null;
        }
        Reply r = reply(req, OFFER, address, node, true, now);
        tally.offers.increment();
        emit(new BootEvent.AddressOffered(now, mac, Ipv4.fromInt(address)));
        return r;
    }

    private Reply request(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        int serverId = optionAddress(req, OPT_SERVER_ID);
        int requested = optionAddress(req, OPT_REQUESTED_ADDRESS);
        int ciaddr = toInt(req.getCiaddrRaw());
        if (serverId != 0 && serverId != server) {
            tally.ignored.increment(); // the client chose another server's offer
            return null;
        }
        int wanted = requested != 0 ? requested : ciaddr;
        if (wanted == 0) {
            throw new Malformed("DHCPREQUEST names no address (neither option 50 nor ciaddr)");
        }
        boolean renewal = ciaddr != 0;
        Node node = book.node(mac);
        if (node != null) {
            int assigned = Ipv4.toInt(node.address());
            if (!onRequestSubnet(req, assigned, mac)) {
                return null;
            }
            if (wanted == assigned) {
                return ack(req, mac, assigned, node, renewal, now);
            }
            return nak(req, mac, wanted, "node " + node.hostname() + " has address " + Ipv4.format(node.address()), now);
        }
        Node gone = book.removed().get(mac);
        LeaseStore store = storeOf(mac);
        if (gone != null && (store == null || store.leaseOf(mac) == null)) {
            // A node removed while running: its lease ends now (RFC 2131 4.3.2: the address is not correct for it).
            return nak(req, mac, wanted, "node " + gone.hostname() + " was removed from cluster " + book.cluster().name(), now);
        }
        if (store == null) {
            unknown(mac, "DHCPREQUEST", now);
            return null;
        }
        LeaseStore.Lease own = store.leaseOf(mac);
        if (own == null && store != pool) {
            unknown(mac, "DHCPREQUEST", now); // discovery has no record of it: an unknown client, as without discovery
            return null;
        }
        if (own == null) {
            // RFC 2131 4.3.2: no record of this client, so remain silent.
            tally.ignored.increment();
            return null;
        }
        if (own.address() == wanted && own.state() != LeaseStore.State.DECLINED && store.availableFor(wanted, mac, now)) {
            if (store.bind(mac, wanted, now.plus(leaseTime(store)), now)) {
                return ack(req, mac, wanted, null, renewal, now);
            }
        }
        return nak(req, mac, wanted, "the " + (store == pool ? "dynamic" : "discovery") + " pool holds "
                + (own.state() == LeaseStore.State.DECLINED ? "no address" : Ipv4.format(Ipv4.fromInt(own.address()))) + " for " + mac, now);
    }

    private Reply ack(DHCPPacket req, MacAddress mac, int address, Node node, boolean renewal, Instant now) throws Malformed {
        Reply r = reply(req, ACK, address, node, true, now);
        tally.acks.increment();
        emit(new BootEvent.AddressAcknowledged(now, mac, Ipv4.fromInt(address), renewal));
        return r;
    }

    private Reply nak(DHCPPacket req, MacAddress mac, int wanted, String reason, Instant now) throws Malformed {
        DHCPPacket r = header(req);
        r.setOptionAsByte(OPT_MESSAGE_TYPE, NAK);
        r.setOptionAsInetAddress(OPT_SERVER_ID, serverAddress);
        r.setOptionAsString(OPT_MESSAGE, "wrong address");
        Inet4Address wantedAddress = Ipv4.fromInt(wanted);
        tally.naks.increment();
        LOG.debug("DHCPNAK to {} for {}: {}", mac, Ipv4.format(wantedAddress), reason);
        emit(new BootEvent.AddressRefused(now, mac, wantedAddress, reason));
        int giaddr = toInt(req.getGiaddrRaw());
        if (giaddr != 0) {
            r.setFlags((short) 0x8000); // RFC 2131 4.3.2: the relay broadcasts it
            return new Reply(serialize(r, req), Ipv4.fromInt(giaddr), serverPort, NAK);
        }
        return new Reply(serialize(r, req), Ipv4.fromInt(-1), clientPort, NAK);
    }

    /** Who gives an address back (DHCPDECLINE, DHCPRELEASE): a node, or a client holding a lease of {@code store}. */
    private record Holder(Node node, LeaseStore store) {
    }

    /**
     * The holder of what {@code req} gives back to this server; null (counted) if it is meant
     * for another server or the client holds nothing here.
     */
    private Holder holder(DHCPPacket req, MacAddress mac, String what, Instant now) throws Malformed {
        int serverId = optionAddress(req, OPT_SERVER_ID);
        if (serverId != 0 && serverId != server) {
            tally.ignored.increment();
            return null;
        }
        Node node = book.node(mac);
        LeaseStore store = storeOf(mac);
        if (node == null && (store == null || store.leaseOf(mac) == null)) {
            unknown(mac, what, now);
            return null;
        }
        return new Holder(node, store);
    }

    private Reply decline(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        int address = optionAddress(req, OPT_REQUESTED_ADDRESS);
        if (address == 0) {
            throw new Malformed("DHCPDECLINE without a requested address (option 50)");
        }
        Holder h = holder(req, mac, "DHCPDECLINE", now);
        if (h == null) {
            return null;
        }
        Node node = h.node();
        LeaseStore store = h.store();
        tally.declines.increment();
        Inet4Address a = Ipv4.fromInt(address);
        if (node != null) {
            LOG.warn("node {} declined its address {}: another machine on {} uses it", node.hostname(), Ipv4.format(a), interfaceName);
        } else {
            LeaseStore.Lease own = store.leaseOf(mac);
            if (own.address() == address) {
                store.decline(address, now.plus(leaseTime(store)));
            }
            LOG.warn("{} declined {} of the {} pool: another machine uses it; not handed out for {}", mac,
                    Ipv4.format(a), store == pool ? "dynamic" : "discovery", leaseTime(store));
        }
        emit(new BootEvent.AddressReleased(now, mac, a, true));
        return null;
    }

    private Reply release(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        int ciaddr = toInt(req.getCiaddrRaw());
        if (ciaddr == 0) {
            throw new Malformed("DHCPRELEASE without ciaddr");
        }
        Holder h = holder(req, mac, "DHCPRELEASE", now);
        if (h == null) {
            return null;
        }
        tally.releases.increment();
        if (h.node() == null) {
            h.store().release(mac, ciaddr, now);
        }
        emit(new BootEvent.AddressReleased(now, mac, Ipv4.fromInt(ciaddr), false));
        return null;
    }

    private Reply inform(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        int ciaddr = toInt(req.getCiaddrRaw());
        if (ciaddr == 0) {
            throw new Malformed("DHCPINFORM without ciaddr");
        }
        Node node = book.node(mac);
        if (node == null && pool == null) {
            unknown(mac, "DHCPINFORM", now);
            return null;
        }
        // RFC 2131 3.4: options only; no yiaddr, no lease time.
        Reply r = reply(req, ACK, 0, node, false, now);
        tally.acks.increment();
        emit(new BootEvent.AddressAcknowledged(now, mac, Ipv4.fromInt(ciaddr), true));
        return r;
    }

    private Reply bootp(DHCPPacket req, MacAddress mac, Instant now) throws Malformed {
        if (!settings.allowBootp()) {
            tally.ignored.increment();
            LOG.debug("ignored a BOOTP request of {} (BOOTP is denied)", mac);
            return null;
        }
        Node node = book.node(mac);
        if (node == null) {
            unknown(mac, "BOOTREQUEST", now);
            return null;
        }
        int address = Ipv4.toInt(node.address());
        Reply r = reply(req, (byte) 0, address, node, false, now);
        tally.bootp.increment();
        emit(new BootEvent.AddressAcknowledged(now, mac, node.address(), false));
        return r;
    }

    /**
     * Whether {@code address} lies on the subnet the request comes from (attached, or named by
     * the relay); if not, the request is ignored and counted: the client is on another link
     * than its address (a node plugged in elsewhere, a relay serving another subnet).
     */
    /** The cluster subnet {@code req} comes from, or null; see {@link Subnets#of}. */
    private io.netboot4j.core.Ipv4Network requestSubnet(DHCPPacket req) throws Malformed {
        try {
            return subnets.of(req);
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    private boolean onRequestSubnet(DHCPPacket req, int address, MacAddress mac) throws Malformed {
        io.netboot4j.core.Ipv4Network from = requestSubnet(req);
        if (from != null && from.contains(Ipv4.fromInt(address))) {
            return true;
        }
        tally.ignored.increment();
        LOG.debug("ignored {}: its address {} is not on the subnet it asks from ({}, link address {})", mac,
                Ipv4.format(Ipv4.fromInt(address)), from == null ? "none of the cluster's" : from, Ipv4.format(Ipv4.fromInt(Subnets.linkAddress(req))));
        return false;
    }

    private void unknown(MacAddress mac, String what, Instant now) {
        if (tally.unknown.ignore(mac)) {
            LOG.info("ignored {} of unknown client {} on {}: not a node of cluster {}", what, mac, interfaceName, book.cluster().name());
            emit(new BootEvent.UnknownClientIgnored(now, mac, what + " on " + interfaceName));
        }
    }

    private void emit(BootEvent e) {
        try {
            events.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("boot event listener threw on '{}'; ignored", e.describe(), ex);
        }
    }

    private static int optionAddress(DHCPPacket req, byte code) throws Malformed {
        byte[] v = req.getOptionRaw(code);
        if (v == null) {
            return 0;
        }
        if (v.length != 4) {
            throw new Malformed("option " + (code & 0xFF) + " has " + v.length + " bytes, not 4");
        }
        return toInt(v);
    }

    /** A BOOTREPLY to {@code req}: header fields copied, option 82 echoed to a relay; shared with {@link ProxyDhcpEngine}. */
    static DHCPPacket header(DHCPPacket req) {
        DHCPPacket r = new DHCPPacket();
        r.setOp((byte) 2);
        r.setHtype((byte) 1);
        r.setHlen((byte) 6);
        r.setXid(req.getXid());
        r.setFlags(req.getFlags());
        r.setGiaddrRaw(req.getGiaddrRaw());
        r.setChaddr(req.getChaddr());
        byte[] agent = req.getOptionRaw(OPT_RELAY_AGENT);
        if (agent != null && toInt(req.getGiaddrRaw()) != 0) {
            r.setOptionRaw(OPT_RELAY_AGENT, agent); // RFC 3046: echoed to the relay, which strips it
        }
        return r;
    }

    /**
     * Builds an OFFER, ACK (yiaddr = {@code address}; 0 for INFORM) or BOOTP reply with
     * the cluster's options, and picks its destination (RFC 2131 section 4.1).
     */
    private Reply reply(DHCPPacket req, byte type, int address, Node node, boolean lease, Instant now) throws Malformed {
        DHCPPacket r = header(req);
        boolean dhcp = type != 0;
        r.setDhcp(req.isDhcp());
        if (type == ACK) {
            r.setCiaddrRaw(req.getCiaddrRaw());
        }
        r.setYiaddrRaw(toBytes(address));
        r.setSiaddrRaw(toBytes(server));
        r.setSname(book.cluster().network().serverName().value());
        Pxe pxe = Pxe.of(req);
        // A discovery lease names no boot file: the event and a wait (see io.netboot4j.core.Discovery).
        boolean discovery = node == null && discoveries != null && discoveries.holds(req);
        Optional<String> httpBoot = HttpBoot.requested(req) && !discovery ? HttpBoot.url(book.cluster(), node, pxe.architecture())
                : Optional.empty();
        String file = discovery ? null : httpBoot.isPresent() ? httpBoot.get() : pxe.bootFile(book.cluster(), node);
        if (file != null) {
            r.setFile(file);
        }
        List<DHCPOption> optional = new ArrayList<>();
        List<DHCPOption> networkOptions = subnets.optionsFor(address != 0 ? address : toInt(req.getCiaddrRaw()));
        if (r.isDhcp()) {
            if (dhcp) {
                r.setOptionAsByte(OPT_MESSAGE_TYPE, type);
                r.setOptionAsInetAddress(OPT_SERVER_ID, serverAddress);
                if (lease) {
                    java.time.Duration time = discovery ? discoveries.leaseTime() : settings.leaseTime();
                    r.setOptionAsInt(OPT_LEASE_TIME, seconds(time));
                    r.setOptionAsInt(OPT_T1, seconds(time.dividedBy(2))); // RFC 2131 4.4.5, as DhcpSettings
                    r.setOptionAsInt(OPT_T2, seconds(time.multipliedBy(7).dividedBy(8)));
                }
            }
            // In the order they are given up when the client's maximum message size is too small.
            optional.add(networkOptions.getFirst());
            optional.add(hasOwnRoot(book.cluster(), node)
                    ? DHCPOption.newOptionAsString(OPT_ROOT_PATH, rootPath(book.cluster(), node)) : rootPath);
            if (node != null) {
                optional.add(book.hostNames().get(node.mac()));
            }
            optional.addAll(networkOptions.subList(1, networkOptions.size()));
            if (pxe.ipxe()) {
                optional.add(new DHCPOption(OPT_IPXE_ENCAP, IPXE_NO_PXEDHCP));
            }
            if (httpBoot.isPresent()) {
                optional.add(new DHCPOption(OPT_VENDOR_CLASS, HttpBoot.HTTP_CLIENT));
            }
            if (pxe.pxeClient()) {
                optional.add(new DHCPOption(OPT_VENDOR_CLASS, PXE_CLIENT));
                if (pxe.guid() != null) {
                    optional.add(new DHCPOption(OPT_CLIENT_GUID, pxe.guid()));
                }
                // Discovery control "skip boot server discovery": PXE ROMs take file/siaddr as they are,
                // and iPXE (no_pxedhcp) does not send a ProxyDHCP request to port 4011 that nobody answers.
                optional.add(new DHCPOption(OPT_VENDOR_SPECIFIC, PXE_DISCOVERY_CONTROL));
            }
        }
        byte[] bytes = serializeWithin(r, optional, maxReply(req));
        if (bytes == null) {
            throw new Malformed("no reply fits the client's maximum message size");
        }
        return new Reply(bytes, destination(req, r.isDhcp() ? type : 0), portFor(req), type);
    }

    private static byte[] serializeWithin(DHCPPacket r, List<DHCPOption> optional, int max) {
        for (int keep = optional.size(); keep >= 0; keep--) {
            DHCPPacket p = keep == optional.size() ? r : r.clone();
            for (int i = 0; i < keep; i++) {
                p.setOption(optional.get(i));
            }
            byte[] agent = p.getOptionRaw(OPT_RELAY_AGENT);
            if (agent != null) {
                p.removeOption(OPT_RELAY_AGENT); // RFC 3046 2.2: the agent option goes last
                p.setOptionRaw(OPT_RELAY_AGENT, agent);
            }
            try {
                return p.serialize(MIN_REPLY, max);
            } catch (RuntimeException tooBig) {
                // drop the least important option and try again
            }
        }
        return null;
    }

    private byte[] serialize(DHCPPacket r, DHCPPacket req) throws Malformed {
        try {
            return r.serialize(MIN_REPLY, maxReply(req));
        } catch (RuntimeException e) {
            throw new Malformed("reply does not fit: " + e.getMessage());
        }
    }

    /** The largest reply the client takes: option 57 (which counts the IP and UDP headers, as ISC reads it). */
    static int maxReply(DHCPPacket req) {
        byte[] v = req.getOptionRaw(OPT_MAX_SIZE);
        if (v == null || v.length != 2) {
            return DEFAULT_MAX_REPLY;
        }
        int mms = ((v[0] & 0xFF) << 8) | (v[1] & 0xFF);
        return Math.clamp(mms - 28L, DEFAULT_MAX_REPLY, ABSOLUTE_MAX_REPLY);
    }

    private int portFor(DHCPPacket req) {
        return toInt(req.getGiaddrRaw()) != 0 ? serverPort : clientPort;
    }

    /** RFC 2131 section 4.1: relay agent, then ciaddr, then broadcast (we cannot unicast to a MAC without an ARP entry). */
    private static Inet4Address destination(DHCPPacket req, byte type) {
        int giaddr = toInt(req.getGiaddrRaw());
        if (giaddr != 0) {
            return Ipv4.fromInt(giaddr);
        }
        int ciaddr = toInt(req.getCiaddrRaw());
        if (ciaddr != 0 && type != NAK) {
            return Ipv4.fromInt(ciaddr);
        }
        return Ipv4.fromInt(-1);
    }

    static int toInt(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static byte[] toBytes(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }

    private static int seconds(java.time.Duration d) {
        return (int) Math.min(d.toSeconds(), Integer.MAX_VALUE);
    }
}
