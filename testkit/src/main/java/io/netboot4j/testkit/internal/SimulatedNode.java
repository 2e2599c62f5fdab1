package io.netboot4j.testkit.internal;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.testkit.NodeOutcome;
import io.netboot4j.testkit.StormPhase;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * One simulated node's boot, phase by phase ({@link StormPhase}); runs on its own (virtual)
 * thread and turns every failure into a {@link NodeOutcome} that says where and why.
 */
public final class SimulatedNode {

    /** A boot file's expected size and CRC-32C. */
    public record Expected(long size, long crc32c) {
    }

    /** What every node of a run shares. */
    public record Run(NetworkSeam seam, DhcpRadio radio, Map<String, Expected> bootFiles, WorkingSet workingSet,
            WorkingSetReplay.ExportedData exported, int blockSize, double loss, Duration delay, int slowNodes, Duration slowDelay,
            long seed, long startNanos, long deadlineNanos) {
    }

    private static final byte OPT_HOSTNAME = 12;
    private static final byte OPT_BOOTFILE = 67;

    private final Run run;
    private final int index;
    private final String hostname;
    private final MacAddress mac;
    private final Inet4Address expectedAddress;
    private final Impairment link;
    private final Map<StormPhase, Duration> phases = java.util.Collections.synchronizedMap(new EnumMap<>(StormPhase.class));
    private volatile int retransmissions;
    private volatile Inet4Address address;
    private volatile StormPhase current = StormPhase.DHCP;

    /**
     * @param index the node's index (mixed into the loss seed)
     * @param expectedAddress the address the cluster gives it
     */
    public SimulatedNode(Run run, int index, String hostname, MacAddress mac, Inet4Address expectedAddress) {
        this.run = run;
        this.index = index;
        this.hostname = hostname;
        this.mac = mac;
        this.expectedAddress = expectedAddress;
        this.link = new Impairment(run.loss(), index < run.slowNodes() ? run.delay().plus(run.slowDelay()) : run.delay(), run.seed(), index);
    }

    /** Boots; never throws. */
    public NodeOutcome boot() {
        try {
            DHCPPacket ack = firmwareDhcp();
            current = StormPhase.BOOT_FILES;
            IpxeScript script = bootFiles(ack);
            current = StormPhase.SECOND_DHCP;
            initramfsDhcp();
            current = StormPhase.ROOT_MOUNT;
            String nfsroot = script.argument("nfsroot").orElseThrow(() -> new IOException("no nfsroot= on the kernel line"));
            String[] serverAndPath = nfsroot.split(",")[0].split(":", 2);
            try (NfsRootClient nfs = NfsRootClient.mount(run.seam(), address, Ipv4.parse(serverAndPath[0]), serverAndPath[1], link, hostname)) {
                done(StormPhase.ROOT_MOUNT);
                current = StormPhase.WORKING_SET;
                new WorkingSetReplay(nfs, run.exported(), hostname, Ipv4.format(address)).replay(run.workingSet());
                done(StormPhase.WORKING_SET);
            }
            return outcome(null, null);
        } catch (IOException | RuntimeException e) {
            return outcome(current, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome(current, "interrupted (the storm's deadline passed)");
        }
    }

    /** Where the node is now, as a failed outcome (its storm's deadline passed). */
    public NodeOutcome unfinished(String why) {
        return outcome(current, why);
    }

    private DHCPPacket firmwareDhcp() throws IOException, InterruptedException {
        DhcpExchange.Outcome o = DhcpExchange.run(run.radio(), new IpxeDhcp(uuid()), mac, xid(), link, run.deadlineNanos());
        retransmissions += o.retransmissions();
        if (o.ack() == null) {
            throw new IOException(o.failure());
        }
        InetAddress given = o.ack().getYiaddr();
        if (!expectedAddress.equals(given)) {
            throw new IOException("DHCP gave " + given + ", the cluster says " + Ipv4.format(expectedAddress));
        }
        address = expectedAddress;
        done(StormPhase.DHCP);
        return o.ack();
    }

    private IpxeScript bootFiles(DHCPPacket ack) throws IOException {
        InetAddress next = ack.getSiaddr();
        if (next == null || next.isAnyLocalAddress()) {
            next = ack.getOptionAsInetAddr(DHCPConstants.DHO_DHCP_SERVER_IDENTIFIER);
        }
        // iPXE takes option 67 before the file field (dnsmasq sends 67 when the client asks for it)
        String file = ack.containsOption(OPT_BOOTFILE)
                ? new String(ack.getOptionRaw(OPT_BOOTFILE), StandardCharsets.US_ASCII).replace("\0", "") : ack.getFile();
        if (file == null || file.isEmpty()) {
            throw new IOException("the DHCP answer names no boot file");
        }
        InetSocketAddress tftp = new InetSocketAddress(next, 69);
        TftpFetch.Result r = fetch(tftp, file, true);
        IpxeScript script = IpxeScript.parse(new String(r.data(), StandardCharsets.UTF_8), mac.format(':').toLowerCase(java.util.Locale.ROOT));
        if (!script.ownSection()) {
            throw new IOException(file + " has no section for " + mac);
        }
        fetch(tftp, script.kernel(), false);
        if (script.initrd().isPresent()) {
            fetch(tftp, script.initrd().get(), false);
        }
        done(StormPhase.BOOT_FILES);
        return script;
    }

    /**
     * One file, checked against the profile's: over HTTP when the script names a URL (as iPXE
     * does), else over TFTP on a socket of its own (iPXE opens a new UDP port per transfer).
     */
    private TftpFetch.Result fetch(InetSocketAddress tftp, String file, boolean keep) throws IOException {
        if (file.startsWith("http://") && !keep) {
            return check(file, HttpFetch.get(run.seam(), address, file, link));
        }
        try (DatagramSocket s = socket()) {
            return check(file, new TftpFetch(s, link, run.blockSize()).read(tftp, file, run.blockSize(), keep));
        }
    }

    private TftpFetch.Result check(String file, TftpFetch.Result r) throws IOException {
        retransmissions += r.retransmissions();
        if (!r.ok()) {
            throw new IOException(file + ": " + r.failure());
        }
        Expected e = run.bootFiles().get(file.substring(file.lastIndexOf('/') + 1));
        if (e != null && (e.size() != r.size() || e.crc32c() != r.crc32c())) {
            throw new IOException(file + ": " + r.size() + " bytes, not identical to the " + e.size() + " of the boot profile's file");
        }
        return r;
    }

    private void initramfsDhcp() throws IOException, InterruptedException {
        KlibcDhcp klibc = new KlibcDhcp();
        String last = "no round";
        for (Duration round : KlibcDhcp.ROUNDS) {
            long end = Math.min(run.deadlineNanos(), System.nanoTime() + round.toNanos());
            DhcpExchange.Outcome o = DhcpExchange.run(run.radio(), klibc, mac, xid(), link, end);
            retransmissions += o.retransmissions();
            if (o.ack() != null) {
                if (!address.equals(o.ack().getYiaddr())) {
                    throw new IOException("the second DHCP gave " + o.ack().getYiaddr() + ", the first " + Ipv4.format(address));
                }
                String name = o.ack().getOptionAsString(OPT_HOSTNAME);
                if (!hostname.equals(name)) {
                    throw new IOException("the second DHCP named the node '" + name + "', not " + hostname);
                }
                done(StormPhase.SECOND_DHCP);
                return;
            }
            last = o.failure();
            if (System.nanoTime() >= run.deadlineNanos()) {
                break;
            }
        }
        throw new IOException("klibc ipconfig got no address in " + KlibcDhcp.ROUNDS.size() + " runs: " + last);
    }

    private DatagramSocket socket() throws IOException {
        try {
            return run.seam().call(() -> new DatagramSocket(new InetSocketAddress(address, 0)));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot bind a UDP socket to " + Ipv4.format(address) + ": " + e.getMessage(), e);
        }
    }

    private byte[] uuid() {
        byte[] u = new byte[16];
        long v = mac.value();
        for (int i = 0; i < 8; i++) {
            u[15 - i] = (byte) (v >>> (8 * i));
        }
        u[0] = (byte) index;
        return u;
    }

    private static int xid() {
        return ThreadLocalRandom.current().nextInt();
    }

    private void done(StormPhase p) {
        phases.put(p, Duration.ofNanos(System.nanoTime() - run.startNanos()));
    }

    private NodeOutcome outcome(StormPhase failedIn, String failure) {
        Map<StormPhase, Duration> copy;
        synchronized (phases) {
            copy = Map.copyOf(phases);
        }
        return new NodeOutcome(hostname, mac, address, copy, retransmissions, link.dropped(), failedIn,
                failedIn == null ? null : Objects.requireNonNullElse(failure, "failed"));
    }
}
