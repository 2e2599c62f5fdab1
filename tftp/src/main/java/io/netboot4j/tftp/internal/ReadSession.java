package io.netboot4j.tftp.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.tftp.TftpFile;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read transfer: negotiation, then a window of DATA blocks at a time (RFC 7440; one
 * block without {@code windowsize}), block numbers rolling over from 65535 to 0.
 *
 * <p>Sorcerer's Apprentice: only an ACK that moves the window forward sends new data; a
 * repeated ACK is ignored, and lost packets are sent again only when the retransmission
 * timer expires.
 */
final class ReadSession extends Session {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSession.class);

    private String name;
    private long bytes;
    private Instant started;
    private long startNanos;

    ReadSession(TftpEngine engine, DatagramChannel channel, InetSocketAddress client, TftpPacket.Request request)
            throws IOException {
        super(engine, channel, client, request);
        this.name = TftpNames.printable(request.filename());
    }

    @Override
    void run() {
        started = engine.settings.clock().instant();
        startNanos = System.nanoTime();
        TftpFile file;
        try {
            file = open();
        } catch (Refusal r) {
            engine.refused.increment();
            sendError(r.code, r.getMessage());
            LOG.debug("{}: refused {} to {}: {}", engine.settings.name(), name, client, r.getMessage());
            fail("refused: " + r.getMessage());
            return;
        }
        try (file) {
            String outcome = transfer(file);
            if (outcome == null) {
                engine.completed.increment();
                Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
                LOG.debug("{}: sent {} ({} bytes) to {} in {}", engine.settings.name(), name, bytes, client, d);
                emit(new BootEvent.FileSent(engine.settings.clock().instant(), address(), name, bytes, d));
            } else {
                engine.failed.increment();
                LOG.info("{}: transfer of {} to {} failed after {} bytes: {}", engine.settings.name(), name, client, bytes, outcome);
                fail(outcome);
            }
        } catch (IOException e) {
            if (e instanceof ClosedChannelException || !engine.running()) {
                engine.failed.increment();
                fail("server stopped");
                return;
            }
            engine.failed.increment();
            sendError(TftpPacket.ERR_UNDEFINED, "read error");
            LOG.warn("{}: transfer of {} to {} failed: {}", engine.settings.name(), name, client, e.toString());
            fail("I/O error: " + e.getMessage());
        }
    }

    private Inet4Address address() {
        return client.getAddress() instanceof Inet4Address v4 ? v4 : io.netboot4j.core.Ipv4.parse("0.0.0.0");
    }

    private void emit(BootEvent e) {
        engine.emit(e);
    }

    private void fail(String reason) {
        emit(new BootEvent.FileFailed(engine.settings.clock().instant(), address(), name, bytes,
                Duration.ofNanos(System.nanoTime() - startNanos), reason));
    }

    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Refusal(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private TftpFile open() throws Refusal {
        TftpNames.Checked checked;
        try {
            checked = TftpNames.check(request.filename());
        } catch (AccessDeniedException e) {
            throw new Refusal(TftpPacket.ERR_ACCESS, "Access violation: " + e.getReason());
        }
        name = checked.name();
        Optional<TftpFile> found;
        try {
            found = engine.settings.source().open(checked.name());
        } catch (AccessDeniedException e) {
            throw new Refusal(TftpPacket.ERR_ACCESS, "Access violation" + (e.getReason() == null ? "" : ": " + e.getReason()));
        } catch (NoSuchFileException e) {
            found = Optional.empty();
        } catch (IOException e) {
            LOG.warn("{}: cannot open {}: {}", engine.settings.name(), name, e.toString());
            throw new Refusal(TftpPacket.ERR_ACCESS, "Access violation: cannot read the file");
        }
        if (found.isEmpty()) {
            if (checked.absolute()) {
                // tftpd-hpa -s reads /x as <root>/x; nothing there: refuse, never look on the host
                throw new Refusal(TftpPacket.ERR_ACCESS, "Access violation: absolute path outside the TFTP root");
            }
            throw new Refusal(TftpPacket.ERR_NOT_FOUND, "File not found");
        }
        TftpFile f = found.get();
        return request.netascii() ? new NetasciiFile(f) : f;
    }

    private long size = -1;

    @Override
    String tsize(String requested) {
        // RFC 2349: the client sends 0 in a read request; answer the real size
        return size >= 0 ? Long.toString(size) : null;
    }

    /** @return null on success, else why it failed */
    private String transfer(TftpFile file) throws IOException {
        this.size = file.size();
        negotiateCommon();
        if (!granted.isEmpty()) {
            String r = sendOack();
            if (r != null) {
                return r;
            }
        }
        return sendData(file);
    }

    private String sendOack() throws IOException {
        awaited = 1;
        byte[] oack = TftpPacket.oack(granted);
        send(oack, oack.length);
        long deadline = System.nanoTime() + rto;
        while (true) {
            TftpPacket p = receive(deadline);
            if (p == null) {
                if (silent() || !engine.running()) {
                    return "no acknowledgement of the options from the client";
                }
                backOff();
                send(oack, oack.length);
                deadline = System.nanoTime() + rto;
                continue;
            }
            switch (p) {
                case TftpPacket.Ack a when a.block() == 0 -> {
                    heard();
                    return null;
                }
                case TftpPacket.Error e -> {
                    // pxelinux and iPXE end a transfer this way after learning tsize
                    return "client ended the transfer after the option acknowledgement: error " + e.code()
                            + " " + TftpNames.printable(e.message());
                }
                default -> {
                    // a stray packet of this client: keep waiting until the deadline
                }
            }
        }
    }

    private String sendData(TftpFile file) throws IOException {
        int window = windowSize;
        byte[][] ring = new byte[window][];
        int[] lengths = new int[window];
        long base = 1;      // first block not yet acknowledged
        long next = 1;      // next block to send
        long loaded = 0;    // highest block read from the file
        long last = -1;     // the final (short) block, once read
        long deadline = 0;
        long sentAt = 0;        // when the window went out
        boolean resent = false; // whether any of it went out again (Karn: no round-trip sample then)
        while (true) {
            int sent = 0;
            while (next < base + window && (last < 0 || next <= last)) {
                int slot = (int) ((next - 1) % window);
                if (next > loaded) {
                    if (ring[slot] == null) {
                        ring[slot] = new byte[4 + blockSize];
                    }
                    ByteBuffer payload = ByteBuffer.wrap(ring[slot], 4, blockSize);
                    int n = Math.max(0, file.read(payload));
                    lengths[slot] = n;
                    loaded = next;
                    bytes += n;
                    engine.bytesSent.add(n);
                    if (n < blockSize) {
                        last = next;
                    }
                }
                TftpPacket.dataHeader(ring[slot], (int) (next & 0xFFFF));
                send(ring[slot], 4 + lengths[slot]);
                next++;
                sent++;
            }
            if (sent > 0) {
                sentAt = System.nanoTime();
                deadline = sentAt + rto;
                awaited = sent;
            }
            TftpPacket p = receive(deadline);
            if (p == null) {
                if (silent() || !engine.running()) {
                    return "client silent for " + engine.settings.sessionTimeout().toSeconds() + " s";
                }
                backOff();
                resent = true;
                next = base; // send the unacknowledged window again
                continue;
            }
            switch (p) {
                case TftpPacket.Ack a -> {
                    // the ACK names a block in [base-1, next-1]; find which, modulo 65536
                    long acked = base - 1 + (((a.block() - (base - 1)) & 0xFFFF));
                    if (acked >= next) {
                        continue; // not a block we sent: stale or bogus
                    }
                    if (acked == base - 1) {
                        continue; // repeated ACK: ignore (Sorcerer's Apprentice)
                    }
                    if (!resent) {
                        sampleRoundTrip(System.nanoTime() - sentAt);
                    }
                    resent = false;
                    heard();
                    if (last >= 0 && acked == last) {
                        return null;
                    }
                    base = acked + 1;
                    // RFC 7440: an ACK short of the window's end means the client missed
                    // what followed; go on from there
                    next = base;
                }
                case TftpPacket.Error e -> {
                    return "client sent error " + e.code() + " " + TftpNames.printable(e.message());
                }
                default -> {
                    // not expected from a reading client; keep waiting
                }
            }
        }
    }
}
