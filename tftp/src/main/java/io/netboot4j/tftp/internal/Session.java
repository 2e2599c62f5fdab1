package io.netboot4j.tftp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What read and write transfers share: the transfer socket, receiving with a deadline,
 * answering strangers with error 5, retransmission back-off and the silence limit.
 */
abstract class Session implements AutoCloseable {

    final TftpEngine engine;
    private final DatagramChannel channel;
    final DatagramSocket socket;
    final InetSocketAddress client;
    final TftpPacket.Request request;
    final byte[] in = new byte[65536];
    private final DatagramPacket inPacket = new DatagramPacket(in, in.length);
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private final SpinReceive spin;
    private final DatagramPacket outPacket;
    /** The current retransmission timeout in nanoseconds. */
    long rto;
    long initialRto;
    long lastHeard;
    /** RFC 6298 estimates of this client's round trip (nanoseconds); {@code srtt < 0} before the first sample. */
    private long srtt = -1;
    private long rttvar;
    /** The client asked for a {@code timeout} (RFC 2349): use it as it is, never adapt. */
    private boolean clientTimeout;

    Session(TftpEngine engine, DatagramChannel channel, InetSocketAddress client, TftpPacket.Request request)
            throws IOException {
        this.engine = engine;
        this.channel = channel;
        this.spin = new SpinReceive(engine.settings.pollBeforeBlocking().toNanos(), engine::runningTransfers,
                SpinReceive.SPARE_PROCESSORS);
        // a blocking channel: a virtual thread waiting in receive parks on the socket itself
        this.socket = channel.socket();
        this.client = client;
        this.request = request;
        this.initialRto = engine.settings.retransmitTimeout().toNanos();
        this.rto = initialRto;
        this.lastHeard = System.nanoTime();
        this.outPacket = new DatagramPacket(in, 0, client);
    }

    @Override
    public void close() {
        // the engine closes the channel
        if (windowBytes != null) {
            windowBytes.close();
        }
    }

    /** The options this transfer grants, in the client's order: RFC 2347 says echo only those. */
    final Map<String, String> granted = new LinkedHashMap<>();
    int blockSize = 512;
    int windowSize = 1;
    /** How many packets the client is answering in the awaited reply (a window's worth, or 1). */
    int awaited = 1;

    /**
     * Negotiates {@code blksize}, {@code timeout} and {@code windowsize} (RFC 2348, 2349,
     * 7440); values out of range make the option unacknowledged, as tftpd-hpa does; unknown
     * options are ignored.
     */
    void negotiateCommon() {
        for (var e : request.options().entrySet()) {
            String v = e.getValue().strip();
            switch (e.getKey()) {
                case "blksize" -> {
                    long n = parse(v);
                    if (n >= 8) {
                        blockSize = (int) Math.min(n, engine.settings.maxBlockSize());
                        granted.put("blksize", Integer.toString(blockSize));
                    }
                }
                case "timeout" -> {
                    long n = parse(v);
                    if (n >= 1 && n <= 255) {
                        initialRto = n * 1_000_000_000L;
                        rto = initialRto;
                        clientTimeout = true;
                        granted.put("timeout", Long.toString(n));
                    }
                }
                case "windowsize" -> {
                    long n = parse(v);
                    if (n >= 1 && n <= 65535) {
                        windowSize = (int) Math.min(n, engine.settings.maxWindowSize());
                        granted.put("windowsize", Integer.toString(windowSize));
                    }
                }
                case "tsize" -> {
                    String t = tsize(v);
                    if (t != null) {
                        granted.put("tsize", t);
                    }
                }
                default -> {
                    // anything else is ignored (RFC 2347)
                }
            }
        }
        // keep a window's buffers within 1 MiB per transfer
        int cap = Math.max(1, WINDOW_BYTES / blockSize);
        if (windowSize > cap) {
            windowSize = cap;
            granted.put("windowsize", Integer.toString(windowSize));
        }
        int affordable = engine.affordableWindow(client, blockSize, windowSize, p -> windowBytes = p);
        if (affordable != windowSize) {
            windowSize = affordable;
            granted.put("windowsize", Integer.toString(windowSize));
        }
    }

    /** The in-flight bytes held for a window of more than one block, if any. */
    private io.netboot4j.core.spi.Admission.Permit windowBytes;

    /** The most bytes of DATA one transfer keeps for retransmission. */
    static final int WINDOW_BYTES = 1 << 20;

    /** The {@code tsize} to answer to the client's {@code requested} value, or null to leave it out. */
    abstract String tsize(String requested);

    static long parse(String v) {
        if (v.isEmpty() || v.length() > 12) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(v);
    }

    /** Sends {@code len} bytes of {@code data} to the client. */
    final void send(byte[] data, int len) throws IOException {
        outPacket.setData(data, 0, len);
        socket.send(outPacket);
    }

    /** Sends an error to the client, ignoring failures. */
    final void sendError(int code, String message) {
        try {
            byte[] e = TftpPacket.error(code, message);
            send(e, e.length);
        } catch (IOException ex) {
            // the client will time out
        }
    }

    /**
     * Waits until {@code deadlineNanos} for a packet from the client; packets from any other
     * address or port get error 5 and the wait goes on.
     *
     * @return the packet, or {@code null} at the deadline
     */
    final TftpPacket receive(long deadlineNanos) throws IOException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            InetSocketAddress from = spin.poll(channel, inBuffer, deadlineNanos, awaited, blockSize);
            int length;
            if (from != null) {
                length = inBuffer.remaining();
            } else {
                socket.setSoTimeout((int) Math.max(1, (left + 999_999) / 1_000_000));
                try {
                    inPacket.setData(in);
                    socket.receive(inPacket);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                from = (InetSocketAddress) inPacket.getSocketAddress();
                length = inPacket.getLength();
            }
            if (!from.equals(client)) {
                // RFC 1350 section 4: not the peer of this transfer
                engine.wrongTid.increment();
                byte[] err = TftpPacket.error(TftpPacket.ERR_UNKNOWN_TID, "Unknown transfer ID");
                try {
                    socket.send(new DatagramPacket(err, err.length, from));
                } catch (IOException ignored) {
                    // best effort
                }
                continue;
            }
            TftpPacket p = TftpPacket.decode(in, 0, length);
            if (p instanceof TftpPacket.Malformed) {
                engine.malformed.increment();
                continue;
            }
            return p;
        }
    }

    /** Doubles the retransmission timeout up to the cap. */
    final void backOff() {
        long max = Math.max(engine.settings.maxRetransmitTimeout().toNanos(), initialRto);
        rto = Math.min(rto * 2, max);
        engine.retransmissions.increment();
    }

    /** Whether the client has been silent longer than the session timeout. */
    final boolean silent() {
        return System.nanoTime() - lastHeard > engine.settings.sessionTimeout().toNanos();
    }

    final void heard() {
        lastHeard = System.nanoTime();
        rto = adaptedRto();
    }

    /**
     * A round trip measured on a packet sent once (Karn): RFC 6298's smoothed estimate
     * ({@code srtt}, {@code rttvar}), so that a lost packet is sent again after about what
     * this client needs (RFC 1123 4.2.3.2 asks TFTP for an adaptive timeout) instead of the
     * configured first timeout, which stays the ceiling.
     */
    final void sampleRoundTrip(long nanos) {
        if (srtt < 0) {
            srtt = nanos;
            rttvar = nanos / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - nanos)) / 4;
            srtt = (7 * srtt + nanos) / 8;
        }
    }

    private long adaptedRto() {
        if (clientTimeout || srtt < 0) {
            return initialRto;
        }
        long floor = Math.min(MIN_ADAPTED_RTO, initialRto);
        return Math.max(floor, Math.min(initialRto, srtt + Math.max(1_000_000L, 4 * rttvar)));
    }

    /** The shortest adapted retransmission timeout: 100 ms (Linux TCP's is 200 ms, iPXE's 250 ms). */
    static final long MIN_ADAPTED_RTO = 100_000_000L;

    abstract void run();
}
