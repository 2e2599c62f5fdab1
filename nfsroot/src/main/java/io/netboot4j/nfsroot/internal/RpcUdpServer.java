package io.netboot4j.nfsroot.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONC RPC over UDP: one reader (a platform thread, as over TCP); each datagram is one call. Calls in
 * flight and their bytes are bounded as over TCP ({@link RpcLimits}), except that a
 * datagram that finds no room is dropped (and counted) rather than waited for: UDP
 * clients retransmit, as they do when knfsd drops for lack of room.
 */
final class RpcUdpServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcUdpServer.class);
    private static final int MAX_DATAGRAM = 65536;

    private final String name;
    private final DatagramChannel ch;
    private final RpcEndpoint endpoint;
    private final RpcPrograms programs;
    private final InFlightBudget budget;
    private final Semaphore slots;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    RpcUdpServer(RpcEndpoint endpoint, DatagramChannel ch) {
        this.endpoint = endpoint;
        this.name = endpoint.name();
        this.ch = ch;
        this.programs = endpoint.programs();
        this.budget = endpoint.budget();
        this.slots = new Semaphore(endpoint.limits().callsPerConnection());
    }

    RpcUdpServer start() {
        Thread.ofPlatform().daemon().name("rpc-" + name + "-udp").start(this::read);
        return this;
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) ch.getLocalAddress();
    }

    /** Datagrams dropped for lack of room. */
    long dropped() {
        return dropped.get();
    }

    private void read() {
        ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (!closed) {
            InetSocketAddress from;
            in.clear();
            try {
                from = (InetSocketAddress) ch.receive(in);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: receiving failed, UDP stops: {}", name, e.toString());
                }
                return;
            }
            in.flip();
            if (!endpoint.gate().datagram(from.getAddress())) {
                continue; // refused before anything is allocated (counted by the gate)
            }
            if (!slots.tryAcquire()) {
                dropped.incrementAndGet();
                continue;
            }
            ByteBuffer datagram = ByteBuffer.allocate(in.remaining()).put(in).flip();
            RpcCall call;
            try {
                call = RpcCall.decode(datagram, from, true);
            } catch (RpcCall.Rejected e) {
                endpoint.countMalformed();
                finish(from, 0, e.reply);
                continue;
            }
            int share = budget.tryTake(datagram.capacity() + programs.replySize(call));
            if (share == 0) {
                dropped.incrementAndGet();
                slots.release();
                continue;
            }
            programs.dispatch(call, endpoint.workers(), reply -> finish(from, share, reply));
        }
    }

    private void finish(InetSocketAddress to, int share, RpcReply reply) {
        try {
            if (reply != null) {
                ch.send(ByteBuffer.wrap(reply.toByteArray()), to);
            }
        } catch (IOException e) {
            LOG.debug("{}: reply to {} failed: {}", name, to, e.toString());
        } finally {
            if (reply != null) {
                reply.release();
            }
            budget.release(share);
            slots.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            ch.close();
        } catch (IOException e) {
            // closing
        }
    }
}
