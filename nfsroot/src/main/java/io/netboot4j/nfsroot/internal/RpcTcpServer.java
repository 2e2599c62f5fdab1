package io.netboot4j.nfsroot.internal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONC RPC over TCP (RFC 5531 section 11, record marking): one reader per connection (a
 * platform thread), blocking reads and writes on the channel; calls that may wait run on
 * virtual threads.
 *
 * <p>Who may connect is decided before anything is read ({@link RpcGate}: known nodes
 * first). Memory is bounded per connection and server-wide ({@link RpcLimits}): the reader
 * takes a call slot before it reads the next record, and the record's share of its
 * connection's and of the server's {@link InFlightBudget} before it reads the record's
 * body; all are given back when the reply has been written. A client that sends calls and
 * never reads the replies thus fills its slots and is no longer read; once a reply has
 * waited for it longer than the write timeout, the connection is closed and everything it
 * held is given back. A record larger than the limit closes the connection and is counted.
 *
 * <p>Copies: a record up to 64 KiB is read with others through the connection's 64 KiB
 * direct read buffer and copied out; a larger one (a WRITE) gets a pooled direct buffer,
 * into which what the read buffer already holds is copied and the rest is read straight
 * from the socket; the file is then written from that buffer. A reply's file data (READ)
 * is written to the socket from the pooled buffer it was read into.
 */
final class RpcTcpServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcTcpServer.class);
    private static final int READ_BUFFER = 64 * 1024;

    private final String name;
    private final ServerSocketChannel listener;
    private final RpcEndpoint endpoint;
    private final RpcPrograms programs;
    private final RpcLimits limits;
    private final InFlightBudget budget;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong stalled = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    RpcTcpServer(RpcEndpoint endpoint, ServerSocketChannel listener) {
        this.endpoint = endpoint;
        this.name = endpoint.name();
        this.listener = listener;
        this.programs = endpoint.programs();
        this.limits = endpoint.limits();
        this.budget = endpoint.budget();
    }

    RpcTcpServer start() {
        Thread.ofVirtual().name("rpc-" + name + "-accept").start(this::accept);
        Thread.ofVirtual().name("rpc-" + name + "-watch").start(this::watch);
        return this;
    }

    /** Connections closed because a reply waited longer than the write timeout. */
    long stalled() {
        return stalled.get();
    }

    /** Closes, about once a second, the connections whose client has not taken a reply within the write timeout. */
    private void watch() {
        long timeout = limits.writeTimeoutMillis() * 1_000_000L;
        long period = Math.max(10, Math.min(1000, limits.writeTimeoutMillis() / 4));
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : connections) {
                long since = c.writingSince;
                if (since != 0 && now - since > timeout) {
                    stalled.incrementAndGet();
                    LOG.warn("{}: {} has not read a reply for {} ms: connection closed", name, c.peer, limits.writeTimeoutMillis());
                    c.close();
                }
            }
        }
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void accept() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("{}: accepting failed, no new connections: {}", name, e.toString());
                }
                return;
            }
            try {
                InetSocketAddress peer = (InetSocketAddress) ch.getRemoteAddress();
                Runnable permit = endpoint.gate().connection(peer.getAddress());
                if (permit == null) {
                    closeQuietly(ch); // refused before anything is read or allocated (counted by the gate)
                    continue;
                }
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(ch, peer, permit);
                connections.add(c);
                // A platform thread: a blocked read wakes it directly; a virtual thread would take two
                // scheduler hand-offs per call (poller, then carrier), which a busy host makes slow.
                c.reader = Thread.ofPlatform().daemon().name("rpc-" + name + "-" + c.peer).start(c::read);
                if (closed) {
                    c.close();
                }
            } catch (IOException e) {
                LOG.debug("{}: connection closed before it started: {}", name, e.toString());
                closeQuietly(ch);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        for (Connection c : connections) {
            c.close();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    private void countMalformed() {
        endpoint.countMalformed();
    }

    /** A record read, holding its share of the server's and of its connection's budget until the reply is sent. */
    private record Record(ByteBuffer bytes, boolean pooled, int share, int own) {
    }

    /** One client connection: its reader, its call slots and its write lock. */
    private final class Connection {
        private final SocketChannel ch;
        private final InetSocketAddress peer;
        private final Runnable permit;
        private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        private final Semaphore slots = new Semaphore(limits.callsPerConnection());
        /** This connection's share of the bytes in flight, taken before the server's. */
        private final InFlightBudget own = new InFlightBudget(limits.connectionBytes());
        /** When the reply being written started (System.nanoTime, never 0), or 0. */
        private volatile long writingSince;
        private final ReentrantLock writing = new ReentrantLock();
        private final ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER).flip();
        /** Reply headers, written under {@link #writing}. */
        private final ByteBuffer out = ByteBuffer.allocateDirect(READ_BUFFER);
        private volatile Thread reader;
        private volatile boolean open = true;

        Connection(SocketChannel ch, InetSocketAddress peer, Runnable permit) {
            this.ch = ch;
            this.peer = peer;
            this.permit = permit;
        }

        void read() {
            try {
                while (open) {
                    slots.acquire();
                    Record r = nextRecord();
                    if (r == null) {
                        slots.release();
                        break;
                    }
                    dispatch(r);
                }
            } catch (EOFException | InterruptedException e) {
                // the client left, or the server is closing
            } catch (IOException e) {
                if (open && !closed) {
                    LOG.debug("{}: connection from {} failed: {}", name, peer, e.toString());
                }
            } finally {
                close();
            }
        }

        /** The next whole record (fragments joined), or null if it is too large (the connection then closes). */
        private Record nextRecord() throws IOException, InterruptedException {
            ByteBuffer record = null;
            boolean pooled = false;
            int share = 0;
            int ownShare = 0;
            try {
                while (true) {
                    fill(4);
                    int mark = in.getInt();
                    int length = mark & 0x7fffffff;
                    int total = (record == null ? 0 : record.position()) + length;
                    if (total > limits.maxRecord()) {
                        countMalformed();
                        LOG.warn("{}: {} sent a record of {} bytes (at most {}): connection closed", name, peer,
                                Integer.toUnsignedString(total), limits.maxRecord());
                        budget.release(share);
                        own.release(ownShare);
                        release(record, pooled);
                        return null;
                    }
                    ownShare += own.take(length);
                    share += budget.take(length);
                    if (record == null || record.remaining() < length) {
                        boolean large = total > READ_BUFFER;
                        ByteBuffer bigger = large ? DirectBuffers.take() : ByteBuffer.allocate(total);
                        if (record != null) {
                            bigger.put(record.flip());
                            release(record, pooled);
                        }
                        record = bigger;
                        pooled = large;
                    }
                    readInto(record, length);
                    if (mark < 0) {
                        return new Record(record.flip(), pooled, share, ownShare);
                    }
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                budget.release(share);
                own.release(ownShare);
                release(record, pooled);
                throw e;
            }
        }

        /** Ensures the read buffer holds {@code n} bytes (n at most its capacity). */
        private void fill(int n) throws IOException {
            if (in.remaining() >= n) {
                return;
            }
            in.compact();
            try {
                while (in.position() < n) {
                    if (ch.read(in) < 0) {
                        throw new EOFException();
                    }
                }
            } finally {
                in.flip();
            }
        }

        /** Appends {@code length} bytes of the stream to {@code record}: what is buffered, then (for large ones) straight from the socket. */
        private void readInto(ByteBuffer record, int length) throws IOException {
            if (length <= READ_BUFFER) {
                fill(length);
                record.put(in.slice(in.position(), length));
                in.position(in.position() + length);
                return;
            }
            int buffered = Math.min(in.remaining(), length);
            record.put(in.slice(in.position(), buffered));
            in.position(in.position() + buffered);
            int end = record.position() + length - buffered;
            ByteBuffer target = record.slice(record.position(), length - buffered);
            while (target.hasRemaining()) {
                if (ch.read(target) < 0) {
                    throw new EOFException();
                }
            }
            record.position(end);
        }

        private void dispatch(Record r) throws InterruptedException {
            RpcCall call;
            try {
                call = RpcCall.decode(r.bytes, peer, false);
            } catch (RpcCall.Rejected e) {
                countMalformed();
                LOG.debug("{}: message from {} refused: {}", name, peer, e.getMessage());
                finish(r, 0, 0, e.reply);
                return;
            }
            int replySize = programs.replySize(call);
            int ownShare = 0;
            int share = 0;
            try {
                ownShare = own.take(replySize);
                share = budget.take(replySize);
            } catch (InterruptedException e) {
                finish(r, ownShare, 0, null);
                throw e;
            }
            int ownReplyShare = ownShare;
            int replyShare = share;
            programs.dispatch(call, endpoint.workers(), reply -> finish(r, ownReplyShare, replyShare, reply));
        }

        /** Sends the reply (if any), then gives back the record's buffer, its budget and its slot. */
        private void finish(Record r, int ownReplyShare, int replyShare, RpcReply reply) {
            release(r.bytes, r.pooled);
            try {
                if (reply != null) {
                    send(reply);
                }
            } finally {
                budget.release(r.share + replyShare);
                own.release(r.own + ownReplyShare);
                slots.release();
            }
        }

        private void send(RpcReply reply) {
            writing.lock();
            writingSince = System.nanoTime() | 1;
            try {
                ByteBuffer[] buffers = reply.tcpBuffers(out);
                long left = 4L + reply.length();
                while (left > 0) {
                    left -= ch.write(buffers);
                }
            } catch (IOException e) {
                LOG.debug("{}: reply to {} failed: {}", name, peer, e.toString());
                close();
            } finally {
                writingSince = 0;
                writing.unlock();
                reply.release();
            }
        }

        void close() {
            open = false;
            connections.remove(this);
            closeQuietly(ch);
            if (released.compareAndSet(false, true)) {
                permit.run();
            }
            Thread t = reader;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    private static void release(ByteBuffer record, boolean pooled) {
        if (record != null && pooled) {
            DirectBuffers.release(record);
        }
    }
}
