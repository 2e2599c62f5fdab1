package io.netboot4j.tftp.internal;

import io.netboot4j.core.net.ListeningServer;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.FloodWatch;
import io.netboot4j.tftp.TftpSource;
import io.netboot4j.tftp.TftpStatistics;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TFTP server's machinery: one listening socket read by one platform thread, and one
 * virtual thread with its own socket per transfer.
 */
public final class TftpEngine implements ListeningServer.Engine {

    private static final Logger LOG = LoggerFactory.getLogger(TftpEngine.class);

    /** Everything the engine is configured with; see {@code TftpServer.Builder}. */
    public record Settings(TftpSource source, InetSocketAddress address, NetworkSeam network, BootEventListener events,
                           Clock clock, Duration retransmitTimeout, Duration maxRetransmitTimeout, Duration sessionTimeout,
                           int maxTransfers, int maxBlockSize, int maxWindowSize, Optional<Path> uploads, String name,
                           ThreadFactory transferThreads, Duration pollBeforeBlocking, Optional<Admission> admission) {
    }

    /**
     * What admission holds for a transfer before it starts: its receive buffer. A window of
     * more than one block is charged when negotiated; one block (at most 64 KiB) rides on this.
     */
    static final int TRANSFER_BASE_BYTES = 65536;

    /** The receive buffer asked for on the listening socket. */
    static final int LISTENER_BUFFER = 1 << 20;

    private static final String UNKNOWN = "unknown source";
    private static final String TOO_FAST = "over its request rate";
    private static final String OVER_BUDGET = "over its transfer limit or the head's budget";
    private static final String MALFORMED = "malformed";

    final Settings settings;
    private final Admission admission;
    private final Semaphore permits;
    /** The request each client address and port is being served, to recognise retransmitted requests. */
    private final Map<InetSocketAddress, TftpPacket.Request> activeClients = new ConcurrentHashMap<>();
    private final Set<DatagramChannel> transferSockets = ConcurrentHashMap.newKeySet();
    private final ThreadFactory threads;
    private volatile DatagramChannel listener;
    private volatile InetSocketAddress local;
    private volatile Thread receiver;
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 started, 2 closed

    final LongAdder requests = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder busy = new LongAdder();
    final LongAdder wrongTid = new LongAdder();
    final LongAdder retransmissions = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder rejected = new LongAdder();
    private final FloodWatch floods;

    /** @param settings the configuration */
    public TftpEngine(Settings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.maxTransfers());
        this.admission = settings.admission().orElse(null);
        this.threads = settings.transferThreads() != null ? settings.transferThreads()
                : Thread.ofVirtual().name(settings.name() + "-transfer-", 0).factory();
        this.floods = new FloodWatch(settings.name(), settings.events(), settings.clock(), LOG);
    }

    /** Opens the listening socket and starts the receiver. */
    @Override
    public void start() throws IOException {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException(state.get() == 2 ? "TFTP server " + settings.name() + " is closed"
                    : "TFTP server " + settings.name() + " was already started");
        }
        try {
            listener = settings.network().openUdp(settings.address());
        } catch (IOException e) {
            state.set(2);
            throw new IOException("cannot listen for TFTP on " + settings.address() + " in the "
                    + settings.network().describe() + ": " + e.getMessage()
                    + (settings.address().getPort() > 0 && settings.address().getPort() < 1024
                    ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""), e);
        }
        local = (InetSocketAddress) listener.getLocalAddress();
        try {
            // room for a burst of requests (a rack powering on); the kernel caps it at rmem_max
            listener.setOption(StandardSocketOptions.SO_RCVBUF, LISTENER_BUFFER);
        } catch (IOException e) {
            LOG.debug("{}: cannot enlarge the listening socket's buffer: {}", settings.name(), e.toString());
        }
        // a platform thread: new requests must not queue behind hundreds of running transfers
        // for a carrier thread when the host is busy
        receiver = Thread.ofPlatform().daemon().name(settings.name() + "-listener").start(this::receive);
        LOG.info("{} listening on {} ({}), serving {}", settings.name(), local, settings.network().describe(), settings.source());
    }

    /** The bound address. */
    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress l = local;
        if (l == null) {
            throw new IllegalStateException("TFTP server " + settings.name() + " is not started");
        }
        return l;
    }

    /** The counters now. */
    public TftpStatistics statistics() {
        return new TftpStatistics(requests.sum(), completed.sum(), failed.sum(), refused.sum(), malformed.sum(), busy.sum(),
                wrongTid.sum(), retransmissions.sum(), bytesSent.sum(),
                settings.maxTransfers() - permits.availablePermits(), rejected.sum());
    }

    private void receive() {
        DatagramSocket socket = listener.socket();
        byte[] buf = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (state.get() == 1) {
            try {
                packet.setData(buf);
                socket.receive(packet);
            } catch (SocketException e) {
                if (state.get() != 1) {
                    return;
                }
                LOG.warn("{}: receive failed: {}", settings.name(), e.toString());
                continue;
            } catch (IOException e) {
                if (state.get() != 1) {
                    return;
                }
                LOG.warn("{}: receive failed: {}", settings.name(), e.toString());
                continue;
            }
            InetAddress source = packet.getAddress();
            Optional<Admission.Refusal> no = admission == null ? Optional.empty() : admission.request(source);
            if (no.isPresent()) {
                // known nodes first: an unknown or over-eager source costs one lookup, nothing more
                rejected.increment();
                floods.dropped(source, no.get() == Admission.Refusal.UNKNOWN_SOURCE ? UNKNOWN : TOO_FAST);
                continue;
            }
            try {
                dispatch(buf, packet.getLength(), (InetSocketAddress) packet.getSocketAddress());
            } catch (RuntimeException e) {
                // never let one packet end the server
                malformed.increment();
                LOG.warn("{}: dropped a packet from {} that caused {}", settings.name(), packet.getSocketAddress(), e.toString());
            }
        }
    }

    private void dispatch(byte[] buf, int len, InetSocketAddress from) {
        TftpPacket p = TftpPacket.decode(buf, 0, len);
        switch (p) {
            case TftpPacket.Request r -> {
                if (r.equals(activeClients.get(from))) {
                    return; // a retransmitted request: the running transfer answers it
                }
                // a different request from the same port (pxelinux asks for one configuration
                // file after another) is a new transfer, even if the last one is still ending
                Admission.Permit admitted = null;
                if (admission != null) {
                    admitted = admission.transfer(from.getAddress(), TRANSFER_BASE_BYTES).orElse(null);
                    if (admitted == null) {
                        // no answer: the client retransmits its request and gets a slot when one is free
                        busy.increment();
                        floods.dropped(from.getAddress(), OVER_BUDGET);
                        return;
                    }
                }
                if (!permits.tryAcquire()) {
                    close(admitted);
                    busy.increment();
                    LOG.debug("{}: {} transfers running, dropped request from {}", settings.name(), settings.maxTransfers(), from);
                    return;
                }
                activeClients.put(from, r);
                requests.increment();
                Admission.Permit held = admitted;
                try {
                    threads.newThread(() -> runSession(r, from, held)).start();
                } catch (RuntimeException e) {
                    activeClients.remove(from, r);
                    permits.release();
                    close(held);
                    throw e;
                }
            }
            case TftpPacket.BadMode b -> {
                requests.increment();
                refused.increment();
                sendFromListener(TftpPacket.error(TftpPacket.ERR_ILLEGAL, "Unknown transfer mode '"
                        + TftpNames.printable(b.mode()) + "': use octet or netascii"), from);
            }
            case TftpPacket.Malformed m -> {
                malformed.increment();
                floods.dropped(from.getAddress(), MALFORMED);
                LOG.debug("{}: dropped malformed packet from {}: {}", settings.name(), from, m.reason());
            }
            default -> {
                // DATA, ACK, ERROR, OACK to the listening port belong to no transfer
                malformed.increment();
                floods.dropped(from.getAddress(), MALFORMED);
                LOG.debug("{}: dropped {} sent to the listening port by {}", settings.name(), p, from);
            }
        }
    }

    private void sendFromListener(byte[] data, InetSocketAddress to) {
        try {
            listener.socket().send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            LOG.debug("{}: could not send to {}: {}", settings.name(), to, e.toString());
        }
    }

    private static void close(Admission.Permit permit) {
        if (permit != null) {
            permit.close();
        }
    }

    /**
     * Buffers for a window of {@code windowSize} blocks from the in-flight byte budget; on
     * refusal the transfer goes on one block at a time.
     *
     * @return the window size the budget allows (the permit, if any, goes to {@code held})
     */
    int affordableWindow(InetSocketAddress client, int blockSize, int windowSize, java.util.function.Consumer<Admission.Permit> held) {
        if (admission == null || windowSize <= 1) {
            return windowSize;
        }
        Optional<Admission.Permit> extra = admission.bytes(client.getAddress(), (long) blockSize * windowSize);
        if (extra.isEmpty()) {
            LOG.debug("{}: in-flight byte budget spent; {} gets a window of one block", settings.name(), client);
            return 1;
        }
        held.accept(extra.get());
        return windowSize;
    }

    private void runSession(TftpPacket.Request request, InetSocketAddress client, Admission.Permit admitted) {
        try {
            DatagramChannel ch;
            try {
                // a fresh port without SO_REUSEADDR: with it, two transfers could get the same TID
                ch = settings.network().openUdp(new InetSocketAddress(local.getAddress(), 0), false);
            } catch (IOException e) {
                LOG.warn("{}: cannot open a transfer socket for {}: {}", settings.name(), client, e.toString());
                failed.increment();
                return;
            }
            transferSockets.add(ch);
            try {
                try (Session session = request.write() ? new WriteSession(this, ch, client, request)
                        : new ReadSession(this, ch, client, request)) {
                    session.run();
                } catch (IOException e) {
                    failed.increment();
                    LOG.warn("{}: cannot set up the transfer for {}: {}", settings.name(), client, e.toString());
                }
            } finally {
                transferSockets.remove(ch);
                try {
                    ch.close();
                } catch (IOException e) {
                    LOG.debug("closing a transfer socket: {}", e.toString());
                }
            }
        } catch (RuntimeException | Error e) {
            failed.increment();
            LOG.error("{}: transfer for {} ended by {}", settings.name(), client, e.toString(), e);
        } finally {
            activeClients.remove(client, request);
            permits.release();
            close(admitted);
        }
    }

    /** How many transfers run now. */
    int runningTransfers() {
        return settings.maxTransfers() - permits.availablePermits();
    }

    boolean running() {
        return state.get() == 1;
    }

    void emit(BootEvent event) {
        try {
            settings.events().onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("{}: boot event listener threw on {}; ignored", settings.name(), event.describe(), e);
        }
    }

    /** Closes the listening socket and every transfer socket; idempotent. */
    @Override
    public void close() {
        int was = state.getAndSet(2);
        if (was == 2) {
            return;
        }
        DatagramChannel l = listener;
        if (l != null) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.debug("closing listener: {}", e.toString());
            }
        }
        for (DatagramChannel ch : transferSockets) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing a transfer socket: {}", e.toString());
            }
        }
        Thread r = receiver;
        if (r != null) {
            try {
                r.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("{} stopped: {}", settings.name(), statistics());
    }
}
