package io.netboot4j.testkit.internal;

import io.netboot4j.core.net.InterfaceSocket;
import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.dhcp4java.DHCPConstants;
import org.dhcp4java.DHCPPacket;

/**
 * The simulated nodes' shared DHCP port: one UDP socket on port 68 of the tester's
 * interface ({@code SO_BINDTODEVICE}, broadcast), as all cards on one wire hear the same
 * broadcasts. Replies go to the exchange registered under their transaction id (each
 * node's own queue, bounded); anything else is counted and dropped.
 */
public final class DhcpRadio implements AutoCloseable {

    private static final InetSocketAddress SERVERS = new InetSocketAddress("255.255.255.255", 67);
    private static final int QUEUE = 16;

    private final InterfaceSocket socket;
    private final Map<Integer, BlockingQueue<DHCPPacket>> exchanges = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder strays = new LongAdder();
    private final Thread receiver;

    private DhcpRadio(InterfaceSocket socket) {
        this.socket = socket;
        this.receiver = Thread.ofPlatform().daemon().name("storm-dhcp-radio").start(this::receive);
    }

    /**
     * Opens port 68 on {@code interfaceName} in the seam's network and starts receiving.
     */
    public static DhcpRadio open(NetworkSeam seam, String interfaceName) throws IOException {
        InterfaceSocket s = seam.openInterfaceUdp(interfaceName, DHCPConstants.BOOTP_REPLY_PORT);
        s.receiveBufferSize(8 << 20);
        return new DhcpRadio(s);
    }

    /** Registers an exchange; its replies arrive in the returned queue. */
    public BlockingQueue<DHCPPacket> register(int xid) {
        BlockingQueue<DHCPPacket> q = new ArrayBlockingQueue<>(QUEUE);
        if (exchanges.putIfAbsent(xid, q) != null) {
            throw new IllegalStateException("transaction id " + Integer.toHexString(xid) + " is in use");
        }
        return q;
    }

    /** Ends an exchange. */
    public void unregister(int xid) {
        exchanges.remove(xid);
    }

    /** Broadcasts {@code p} to the servers' port 67. */
    public void send(DHCPPacket p) throws IOException {
        socket.send(ByteBuffer.wrap(p.serialize()), SERVERS);
    }

    /** Datagrams that belonged to no exchange, or were no DHCP reply. */
    public long strays() {
        return strays.sum();
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (!closed.get()) {
            buf.clear();
            try {
                if (socket.receive(buf) == null) {
                    continue;
                }
                DHCPPacket p = DHCPPacket.getPacket(buf.array(), 0, buf.position(), false);
                BlockingQueue<DHCPPacket> q = p.getOp() == DHCPConstants.BOOTREPLY ? exchanges.get(p.getXid()) : null;
                if (q == null || !q.offer(p)) {
                    strays.increment();
                }
            } catch (IOException | IllegalArgumentException e) {
                if (closed.get()) {
                    return;
                }
                strays.increment();
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            socket.close();
            try {
                receiver.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
