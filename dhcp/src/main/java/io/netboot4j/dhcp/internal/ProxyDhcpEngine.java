package io.netboot4j.dhcp.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.Node;
import io.netboot4j.dhcp.DhcpCounters;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.dhcp4java.DHCPPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the embedded server in proxyDHCP mode (PXE 2.1 specification section
 * 2.2.4, RFC 4578), as pure functions of a datagram and the time: another DHCP server on
 * the link gives the addresses; this one gives the nodes' PXE clients boot information only.
 *
 * <ul>
 *   <li>Port 67, DHCPDISCOVER of a node with vendor class {@code PXEClient}: a proxy
 *       DHCPOFFER with no address ({@code yiaddr} 0), {@code siaddr}/{@code sname}/{@code file}
 *       for its firmware, option 54, {@code PXEClient} (60), the client GUID (97) echoed, and
 *       option 43 with discovery control 8 ("boot the file in this offer") for BIOS and iPXE;
 *       UEFI clients get no option 43, as pixiecore found some UEFI firmware ignores proxy
 *       offers that carry it.</li>
 *   <li>Port 67, DHCPREQUEST of a node (to the other server): nothing is sent; the address it
 *       asks for is learned and reported as {@link BootEvent.AddressAcknowledged}.</li>
 *   <li>Port 4011 (boot server), DHCPREQUEST or DHCPINFORM of a node's PXE client: a DHCPACK
 *       with the same boot information, {@code ciaddr} echoed, sent back to where it came from;
 *       {@code ciaddr} is learned as the node's address.</li>
 *   <li>Anything else (clients that are not PXE, unknown MACs, other message types) is
 *       ignored and counted; malformed datagrams are dropped and counted.</li>
 * </ul>
 *
 * <p>No option 175.176 ({@code no-pxedhcp}): it would tell iPXE to skip exactly this
 * server. Not thread-safe: each receive loop calls its own handler, and the two share only
 * thread-safe state (counters, the learned addresses).
 */
public final class ProxyDhcpEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyDhcpEngine.class);

    private static final byte[] PXE_CLIENT = "PXEClient".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PXE_DISCOVERY_CONTROL = {6, 1, 8, (byte) 255};

    /** The description at start: name and network (which cannot change while running). */
    private final Cluster cluster;
    private final BootEventListener events;
    /** The nodes answered and the description their boot files come from; replaced whole by {@link #update}, read once per datagram. */
    private volatile Book book;
    private final Map<MacAddress, Inet4Address> learned = new java.util.concurrent.ConcurrentHashMap<>();
    private final DhcpTally tally = new DhcpTally();
    private final Inet4Address server;
    private final int clientPort;
    private final int serverPort;


    /**
     * @param cluster the validated cluster
     * @param events where decisions are reported
     */
    public ProxyDhcpEngine(Cluster cluster, BootEventListener events) {
        this.cluster = cluster;
        this.events = events;
        this.server = cluster.network().server();
        this.clientPort = cluster.ports().dhcpClient();
        this.serverPort = cluster.ports().dhcpServer();
        this.book = Book.of(cluster);
    }

    /** A description and its nodes by MAC. */
    private record Book(Cluster cluster, Map<MacAddress, Node> nodes) {
        static Book of(Cluster cluster) {
            Map<MacAddress, Node> nodes = new HashMap<>();
            cluster.nodes().forEach(n -> nodes.put(n.mac(), n));
            return new Book(cluster, Map.copyOf(nodes));
        }
    }

    /**
     * Answers from {@code next} from the next datagram on (a live change; same network): new
     * nodes get boot information, removed ones are unknown clients again (the site's server
     * keeps their leases: a proxy has none to end), changed ones their new boot files.
     */
    public void update(Cluster next) {
        book = Book.of(next);
    }

    /** The counters so far: offers are proxy offers (port 67), acks the boot server's answers (port 4011). */
    public DhcpCounters counters() {
        return tally.counters();
    }

    /** The counts behind {@link #counters()}, for the server to add what fails outside the engine. */
    public DhcpTally tally() {
        return tally;
    }

    /** The address a node was last seen asking for or using, if any. */
    public Inet4Address learnedAddress(MacAddress mac) {
        return learned.get(mac);
    }

    /**
     * Handles one datagram received on port 67.
     *
     * @return the proxy offer to send, or {@code null}; never throws
     */
    public DhcpEngine.Reply handleDhcp(byte[] data, int length, Instant now) {
        return guarded(data, length, (req, mac, node, type, live) -> {
            if (node == null) {
                if (type == DhcpEngine.DISCOVER && Pxe.of(req).pxeClient()) {
                    unknown(mac, now); // the site's other machines are none of our business: not reported
                } else {
                    tally.ignored.increment();
                }
                return null;
            }
            if (type == DhcpEngine.REQUEST) {
                learn(node, address(req, DhcpEngine.OPT_REQUESTED_ADDRESS, req.getCiaddrRaw()), DhcpEngine.toInt(req.getCiaddrRaw()) != 0,
                        now);
                tally.ignored.increment();
                return null;
            }
            Pxe pxe = Pxe.of(req);
            if (type != DhcpEngine.DISCOVER || !pxe.pxeClient()) {
                tally.ignored.increment(); // not a PXE client's discovery: the site's server answers it
                return null;
            }
            DHCPPacket r = bootInformation(live, req, node, pxe, DhcpEngine.OFFER);
            tally.offers.increment();
            int giaddr = DhcpEngine.toInt(req.getGiaddrRaw());
            Inet4Address to = giaddr != 0 ? Ipv4.fromInt(giaddr) : Ipv4.fromInt(-1);
            return new DhcpEngine.Reply(serialize(r, req), to, giaddr != 0 ? serverPort : clientPort, DhcpEngine.OFFER);
        });
    }

    /**
     * Handles one datagram received on the boot server port (4011).
     *
     * @param from where it came from: the answer goes back there
     * @return the DHCPACK to send, or {@code null}; never throws
     */
    public DhcpEngine.Reply handleBootServer(byte[] data, int length, InetSocketAddress from, Instant now) {
        return guarded(data, length, (req, mac, node, type, live) -> {
            if (node == null) {
                unknown(mac, now);
                return null;
            }
            Pxe pxe = Pxe.of(req);
            if ((type != DhcpEngine.REQUEST && type != DhcpEngine.INFORM) || !pxe.pxeClient()) {
                tally.ignored.increment();
                return null;
            }
            int ciaddr = DhcpEngine.toInt(req.getCiaddrRaw());
            if (ciaddr != 0) {
                learn(node, Ipv4.fromInt(ciaddr), false, now);
            }
            DHCPPacket r = bootInformation(live, req, node, pxe, DhcpEngine.ACK);
            r.setCiaddrRaw(req.getCiaddrRaw());
            tally.acks.increment();
            Inet4Address to = from.getAddress() instanceof Inet4Address a && !a.isAnyLocalAddress() ? a
                    : ciaddr != 0 ? Ipv4.fromInt(ciaddr) : Ipv4.fromInt(-1);
            return new DhcpEngine.Reply(serialize(r, req), to, from.getPort(), DhcpEngine.ACK);
        });
    }

    /** The boot information of a proxy answer: no address, the file for the client's firmware, PXE options. */
    private DHCPPacket bootInformation(Cluster live, DHCPPacket req, Node node, Pxe pxe, byte type) {
        DHCPPacket r = DhcpEngine.header(req);
        r.setDhcp(true);
        r.setSiaddr(server);
        r.setSname(cluster.network().serverName().value());
        String file = pxe.bootFile(live, node);
        if (file != null) {
            r.setFile(file);
        }
        r.setOptionAsByte(DhcpEngine.OPT_MESSAGE_TYPE, type);
        r.setOptionAsInetAddress(DhcpEngine.OPT_SERVER_ID, server);
        r.setOptionRaw(DhcpEngine.OPT_VENDOR_CLASS, PXE_CLIENT);
        if (pxe.guid() != null) {
            r.setOptionRaw(DhcpEngine.OPT_CLIENT_GUID, pxe.guid());
        }
        boolean uefi = pxe.architecture() == Pxe.ARCH_EFI_BC || pxe.architecture() == Pxe.ARCH_EFI_X86_64
                || pxe.architecture() == Pxe.ARCH_EFI_ARM64;
        if (pxe.ipxe() || !uefi) {
            r.setOptionRaw(DhcpEngine.OPT_VENDOR_SPECIFIC, PXE_DISCOVERY_CONTROL);
        }
        byte[] agent = r.getOptionRaw(DhcpEngine.OPT_RELAY_AGENT);
        if (agent != null) {
            r.removeOption(DhcpEngine.OPT_RELAY_AGENT); // RFC 3046 2.2: the agent option goes last
            r.setOptionRaw(DhcpEngine.OPT_RELAY_AGENT, agent);
        }
        return r;
    }

    private void learn(Node node, Inet4Address address, boolean renewal, Instant now) {
        if (address == null) {
            return;
        }
        Inet4Address before = learned.put(node.mac(), address);
        if (!address.equals(node.address()) && !address.equals(before)) {
            String message = "node " + node.hostname() + " got " + Ipv4.format(address) + " from the site's DHCP server, but the"
                    + " cluster description says " + Ipv4.format(node.address()) + ": TFTP and NFS recognise nodes by the"
                    + " description's address; reserve it for " + node.mac() + " in the site's DHCP server";
            LOG.warn(message);
            emit(new BootEvent.ServiceProblem(now, "embedded DHCP (proxy)", message));
        }
        emit(new BootEvent.AddressAcknowledged(now, node.mac(), address, renewal));
    }

    /** Decides on one well-formed request: its sender, the sender's node (or null), the message type, the description it is answered from. */
    private interface Handler {
        DhcpEngine.Reply handle(DHCPPacket req, MacAddress mac, Node node, byte type, Cluster live) throws Malformed;
    }

    private DhcpEngine.Reply guarded(byte[] data, int length, Handler handler) {
        return tally.handle(length, () -> {
            DHCPPacket req = parse(data, length);
            if (req == null) {
                return null;
            }
            MacAddress mac = mac(req);
            Book b = book;
            return handler.handle(req, mac, b.nodes().get(mac), req.getOptionRaw(DhcpEngine.OPT_MESSAGE_TYPE)[0], b.cluster());
        });
    }

    /** A well-formed DHCP request, or null (counted as ignored) for a reply or BOOTP. */
    private DHCPPacket parse(byte[] data, int length) throws Malformed {
        DHCPPacket req;
        try {
            req = DHCPPacket.getPacket(data, 0, length, true);
        } catch (RuntimeException e) {
            throw new Malformed(e.getMessage());
        }
        if (req.getHtype() != 1 || req.getHlen() != 6) {
            throw new Malformed("hardware type " + req.getHtype() + "/length " + req.getHlen() + " is not Ethernet");
        }
        MacAddress mac = mac(req);
        if (mac.isMulticast() || mac.value() == 0) {
            throw new Malformed("client hardware address " + mac + " is not a unicast address");
        }
        byte[] type = req.getOptionRaw(DhcpEngine.OPT_MESSAGE_TYPE);
        if (req.getOp() != 1 || !req.isDhcp() || type == null) {
            tally.ignored.increment(); // replies of the site's server, BOOTP: not ours to answer
            return null;
        }
        if (type.length != 1) {
            throw new Malformed("DHCP message type option has " + type.length + " bytes");
        }
        return req;
    }

    private static MacAddress mac(DHCPPacket req) {
        return MacAddress.ofBytes(Arrays.copyOf(req.getChaddr(), 6));
    }

    private static Inet4Address address(DHCPPacket req, byte option, byte[] fallback) throws Malformed {
        byte[] v = req.getOptionRaw(option);
        if (v != null && v.length != 4) {
            throw new Malformed("option " + (option & 0xFF) + " has " + v.length + " bytes, not 4");
        }
        int a = DhcpEngine.toInt(v != null ? v : fallback);
        return a == 0 ? null : Ipv4.fromInt(a);
    }

    private void unknown(MacAddress mac, Instant now) {
        if (tally.unknown.ignore(mac)) {
            LOG.info("ignored unknown client {}: not a node of cluster {}", mac, cluster.name());
            emit(new BootEvent.UnknownClientIgnored(now, mac, "proxyDHCP on " + cluster.network().interfaceName()));
        }
    }

    private void emit(BootEvent e) {
        try {
            events.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("boot event listener threw on '{}'; ignored", e.describe(), ex);
        }
    }

    private static byte[] serialize(DHCPPacket r, DHCPPacket req) throws Malformed {
        try {
            return r.serialize(DhcpEngine.MIN_REPLY, DhcpEngine.maxReply(req));
        } catch (RuntimeException e) {
            throw new Malformed("reply does not fit: " + e.getMessage());
        }
    }
}
