package io.netboot4j.tftp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay that drops a share of the datagrams in both directions. Clients talk to
 * {@link #address()}; for each client the relay uses its own socket towards the server, and
 * follows the server's transfer ID (the port its first reply came from), so the client sees
 * every reply come from the relay's one port.
 */
final class LossyRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final InetSocketAddress server;
    private final double loss;
    private final Random random;
    private final Map<InetSocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
    private final Map<DatagramSocket, InetSocketAddress> targets = new ConcurrentHashMap<>();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong passed = new AtomicLong();
    private volatile boolean closed;

    LossyRelay(InetSocketAddress server, double loss, long seed) throws IOException {
        this.server = server;
        this.loss = loss;
        this.random = new Random(seed);
        this.front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("relay-front").start(this::fromClients);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) front.getLocalSocketAddress();
    }

    /**
     * Whether to drop this datagram. The option handshake (OACK and its ACK 0) always
     * passes: atftp aborts on a second OACK ("unexpected OACK"), which a server must send when
     * the ACK 0 is lost (RFC 2347), whatever the server; every other datagram, requests and
     * DATA included, is dropped at the given rate.
     */
    private synchronized boolean drop(byte[] buf, int len) {
        if (len >= 4 && buf[0] == 0 && (buf[1] == 6 || (buf[1] == 4 && buf[2] == 0 && buf[3] == 0))) {
            passed.incrementAndGet();
            return false;
        }
        boolean d = random.nextDouble() < loss;
        (d ? dropped : passed).incrementAndGet();
        return d;
    }

    private void fromClients() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setData(buf);
                front.receive(p);
                InetSocketAddress client = (InetSocketAddress) p.getSocketAddress();
                DatagramSocket back = backs.computeIfAbsent(client, this::open);
                if (!drop(buf, p.getLength())) {
                    back.send(new DatagramPacket(buf, p.getLength(), targets.get(back)));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private DatagramSocket open(InetSocketAddress client) {
        try {
            DatagramSocket back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            targets.put(back, server);
            Thread.ofVirtual().name("relay-back").start(() -> fromServer(back, client));
            return back;
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fromServer(DatagramSocket back, InetSocketAddress client) {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setData(buf);
                back.receive(p);
                // follow the server's transfer ID
                targets.put(back, (InetSocketAddress) p.getSocketAddress());
                if (!drop(buf, p.getLength())) {
                    front.send(new DatagramPacket(buf, p.getLength(), client));
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        backs.values().forEach(DatagramSocket::close);
    }
}
