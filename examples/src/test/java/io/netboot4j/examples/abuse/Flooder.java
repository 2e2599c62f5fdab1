package io.netboot4j.examples.abuse;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.testkit.NetworkNamespace;
import io.netboot4j.testkit.VirtualNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A hostile host on the cluster network: its own namespace, wired into the head's bridge,
 * with its own address. It sends, paced and bounded in time, junk DHCP, TFTP requests for
 * real files from many ports that never ACK or ACK wrong blocks, WRQs, hostile ONC RPC
 * records over TCP and UDP, and keeps slow-loris TCP connections that send one byte a second.
 * Every packet goes to the head's address or the subnet's broadcast, inside the test's
 * namespaces.
 */
public final class Flooder implements AutoCloseable {

    /** Pacing: DHCP datagrams, TFTP requests, RPC connections a second; slow-loris connections. */
    static final int DHCP_PER_SECOND = 1000;
    static final int TFTP_PER_SECOND = 400;
    static final int RPC_CONNECTIONS_PER_SECOND = 40;
    static final int RPC_DATAGRAMS_PER_SECOND = 200;
    static final int SLOW_LORIS = 16;
    /** TFTP source ports in use at once. */
    static final int TFTP_PORTS = 64;
    /** RPC connections kept open at once (the oldest is closed). */
    static final int RPC_KEPT = 64;

    private static final int NFS_PROGRAM = 100003;
    private static final int MOUNT_PROGRAM = 100005;
    private static final int PORTMAP_PROGRAM = 100000;

    private final NetworkNamespace namespace;
    private final String address;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    private Flooder(NetworkNamespace namespace, String address) {
        this.namespace = namespace;
        this.address = address;
    }

    /**
     * Plugs a new host into {@code net}'s bridge.
     *
     * @param cidr its address with prefix, in the cluster subnet and given to no node
     */
    public static Flooder attach(VirtualNetwork net, String cidr) {
        NetworkNamespace ns = NetworkNamespace.create("nb-flood");
        try {
            net.namespace().addVeth("vflood" + Math.floorMod(ns.name().hashCode(), 1000), "eth0", VirtualNetwork.BRIDGE, ns);
            ns.ip("addr", "add", cidr, "dev", "eth0");
            return new Flooder(ns, cidr.substring(0, cidr.indexOf('/')));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** This host's address. */
    public String address() {
        return address;
    }

    /**
     * Starts every flood against {@code cluster}'s head; each stops at {@link #close()} or
     * after {@code limit}.
     *
     * @param tftpFiles real files of the boot tree to ask for
     * @param seed the seed of the jqwik generators; print it
     */
    public void start(Cluster cluster, List<String> tftpFiles, long seed, Duration limit) throws IOException {
        Junk junk = new Junk(seed);
        InetAddress head = cluster.network().server();
        // the subnet's broadcast: 255.255.255.255 needs a route this host does not have
        InetAddress broadcast = cluster.network().broadcast();
        var ports = cluster.ports();
        long deadline = System.nanoTime() + limit.toNanos();
        NetworkSeam seam = namespace.seam();

        DatagramChannel dhcp = keep(seam.openUdp(new InetSocketAddress(68)));
        dhcp.setOption(StandardSocketOptions.SO_BROADCAST, true);
        paced("dhcp", DHCP_PER_SECOND, deadline, i -> {
            byte[] p = junk.dhcp();
            dhcp.send(ByteBuffer.wrap(p), new InetSocketAddress(i % 2 == 0 ? broadcast : head, ports.dhcpServer()));
        });

        List<DatagramChannel> tftp = new ArrayList<>();
        for (int i = 0; i < TFTP_PORTS; i++) {
            DatagramChannel ch = keep(seam.openUdp(new InetSocketAddress(0), false));
            ch.configureBlocking(false);
            tftp.add(ch);
        }
        InetSocketAddress tftpServer = new InetSocketAddress(head, ports.tftp());
        ByteBuffer in = ByteBuffer.allocate(65536);
        paced("tftp", TFTP_PER_SECOND, deadline, i -> {
            DatagramChannel ch = tftp.get((int) (i % TFTP_PORTS));
            ch.send(ByteBuffer.wrap(junk.tftpRequest(tftpFiles.get(junk.index(tftpFiles.size())))), tftpServer);
            // answer whatever came back on this port with a wrong ACK (or never, for half of them)
            in.clear();
            InetSocketAddress from = (InetSocketAddress) ch.receive(in);
            if (from != null && i % 2 == 0) {
                ch.send(ByteBuffer.wrap(junk.wrongAck()), from);
                count("tftp-wrong-ack");
            }
        });

        DatagramChannel rpcUdp = keep(seam.openUdp(new InetSocketAddress(0), false));
        paced("rpc-udp", RPC_DATAGRAMS_PER_SECOND, deadline, i -> {
            byte[] d = i % 2 == 0 ? junk.datagram() : Junk.call((int) i, PORTMAP_PROGRAM, 2, (int) (i % 6), junk.datagram());
            rpcUdp.send(ByteBuffer.wrap(d), new InetSocketAddress(head, ports.portmap()));
        });

        int[][] rpcTargets = {{ports.portmap(), PORTMAP_PROGRAM, 2}, {ports.nfs(), NFS_PROGRAM, 3}, {ports.mount(), MOUNT_PROGRAM, 3}};
        Deque<SocketChannel> kept = new ArrayDeque<>();
        paced("rpc-tcp", RPC_CONNECTIONS_PER_SECOND, deadline, i -> {
            int[] t = rpcTargets[junk.index(rpcTargets.length)];
            SocketChannel ch = connect(seam, new InetSocketAddress(head, t[0]));
            if (ch == null) {
                return;
            }
            try {
                ch.write(ByteBuffer.wrap(junk.rpcRecord(t[1], t[2])));
            } catch (IOException e) {
                count("rpc-tcp-reset");
            }
            kept.addLast(ch);
            while (kept.size() > RPC_KEPT) {
                kept.removeFirst().close();
            }
        });

        for (int c = 0; c < SLOW_LORIS; c++) {
            int port = c % 2 == 0 ? ports.nfs() : ports.portmap();
            byte[] record = ByteBuffer.allocate(44).putInt(0x8000_0000 | 40)
                    .put(Junk.call(c, port == ports.nfs() ? NFS_PROGRAM : PORTMAP_PROGRAM, port == ports.nfs() ? 3 : 2, 0,
                            new byte[0])).array();
            paced("slow-loris", 1, deadline, new Step() {
                SocketChannel ch;
                int at;

                @Override
                public void run(long i) throws IOException {
                    if (ch == null || at == record.length) {
                        if (ch != null) {
                            ch.close();
                        }
                        ch = connect(seam, new InetSocketAddress(head, port));
                        at = 0;
                        if (ch == null) {
                            return;
                        }
                    }
                    try {
                        ch.write(ByteBuffer.wrap(record, at++, 1));
                    } catch (IOException e) {
                        ch.close();
                        ch = null;
                        count("slow-loris-closed-by-server");
                    }
                }
            });
        }
    }

    private SocketChannel connect(NetworkSeam seam, InetSocketAddress to) throws IOException {
        SocketChannel ch;
        try {
            ch = seam.call(SocketChannel::open);
        } catch (Exception e) {
            throw new IOException("cannot open a TCP socket in " + namespace.name(), e);
        }
        try {
            ch.socket().connect(to, 1000);
            return keep(ch);
        } catch (IOException e) {
            ch.close();
            count("tcp-refused");
            return null;
        }
    }

    private <C extends AutoCloseable> C keep(C c) {
        synchronized (open) {
            open.add(c);
        }
        return c;
    }

    private void count(String what) {
        sent.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    /** One step of a flood: the {@code i}-th packet or connection. */
    @FunctionalInterface
    interface Step {
        void run(long i) throws IOException;
    }

    /** Runs {@code step} {@code perSecond} times a second on a virtual thread until stopped or the deadline. */
    private void paced(String what, int perSecond, long deadline, Step step) {
        Thread t = Thread.ofVirtual().name("flood-" + what).start(() -> {
            long period = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            long i = 0;
            while (!stop.get() && System.nanoTime() < deadline) {
                try {
                    step.run(i++);
                    count(what);
                } catch (IOException | RuntimeException e) {
                    count(what + "-error");
                }
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // fell behind (a busy machine): do not burst to catch up
                }
            }
        });
        threads.add(t);
    }

    /** What was sent so far, by kind. */
    public Map<String, Long> sent() {
        Map<String, Long> m = new TreeMap<>();
        sent.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Stops the floods, closes every socket and deletes the namespace. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (open) {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
        namespace.close();
    }
}
