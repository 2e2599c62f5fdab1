package io.netboot4j.http.internal;

import io.netboot4j.boot.BootFile;
import io.netboot4j.core.BootEvent;
import io.netboot4j.core.spi.Admission;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served on its own thread: requests one after the other
 * (keep-alive, pipelining), each answered from the boot tree. Blocking I/O; the engine's
 * watchdog closes the channel when the client stalls (no request within the idle timeout,
 * or no progress of a response within the send timeout), which ends any blocked call.
 */
final class HttpConnection implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    /** The longest request head accepted (nginx: 1 KiB, then up to 4 x 8 KiB). */
    static final int MAX_HEAD = 16 * 1024;
    /** The most bytes one {@code transferTo} call is asked for, so progress is seen often. */
    private static final long SEND_CHUNK = 1 << 20;
    /** The buffer of the write that waits for a full socket buffer to drain. */
    private static final int COPY_CHUNK = 4 * 1024;

    enum Phase { WAITING, READING, SENDING, DONE }

    private final HttpEngine engine;
    private final SocketChannel channel;
    private final InetSocketAddress peer;
    /** The connection's place in the head's budget, or null without admission. */
    private final Admission.Permit permit;
    /** Requests answered on this connection so far. */
    private volatile int served;
    private final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
    private volatile Phase phase = Phase.WAITING;
    private volatile long progressNanos = System.nanoTime();
    /** Whether the connection stays open after the current response; its Connection field says so. */
    private boolean keep;
    private int minorVersion = 1;
    /** Whether the current request is a HEAD: no response carries a body then. */
    private boolean headRequest;
    /** Body bytes written for the current response so far. */
    private long bodyBytes;
    private ByteBuffer copy;

    HttpConnection(HttpEngine engine, SocketChannel channel, InetSocketAddress peer, Admission.Permit permit) {
        this.engine = engine;
        this.channel = channel;
        this.peer = peer;
        this.permit = permit;
    }

    Phase phase() {
        return phase;
    }

    InetSocketAddress peer() {
        return peer;
    }

    /** Whether the connection waits for the next request after answering at least one (keep-alive, idle). */
    boolean keptAlive() {
        return phase == Phase.WAITING && served > 0;
    }

    /** Whether the connection waits for its first request and has received nothing since {@code nanos}. */
    boolean silentSince(long nanos) {
        return phase == Phase.WAITING && served == 0 && progressNanos - nanos < 0;
    }

    /** Gives the connection's permit back; idempotent. */
    void release() {
        if (permit != null) {
            permit.close();
        }
    }

    long progressNanos() {
        return progressNanos;
    }

    void abort() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", peer, e.toString());
        }
    }

    @Override
    public void run() {
        try {
            serveRequests();
        } catch (IOException e) {
            LOG.debug("{}: connection from {} ended: {}", engine.settings.name(), peer, e.toString());
        } finally {
            phase = Phase.DONE;
            abort();
            release();
            engine.ended(this);
        }
    }

    private void serveRequests() throws IOException {
        while (engine.running()) {
            phase = Phase.WAITING;
            progress();
            Optional<String> head;
            try {
                head = readHead();
            } catch (HeadTooLarge e) {
                badRequest(431, e.getMessage());
                return;
            }
            if (head.isEmpty()) {
                return;
            }
            engine.stats.requests.increment();
            RequestHead req;
            try {
                req = RequestHead.parse(head.get());
            } catch (RequestHead.Malformed e) {
                badRequest(e.status(), e.getMessage());
                return;
            }
            phase = Phase.SENDING;
            progress();
            keep = req.keepAlive() && !req.hasBody();
            minorVersion = req.minorVersion();
            headRequest = req.method().equals("HEAD");
            bodyBytes = 0;
            respond(req);
            served++;
            if (keep) {
                push();
            }
            if (!keep) {
                if (req.hasBody()) {
                    linger(); // the unread body must not turn the close into a reset
                }
                return;
            }
        }
    }

    private void badRequest(int status, String why) throws IOException {
        engine.stats.badRequests.increment();
        headRequest = false;
        LOG.debug("{}: bad request from {}: {}", engine.settings.name(), peer, why);
        keep = false;
        error(status);
        linger();
    }

    /**
     * Before closing after an error: stops sending, then reads (and drops) what the client
     * still sends, up to 64 KiB, so the close does not reset the connection and destroy the
     * response before the client read it (nginx's lingering close). The watchdog bounds the wait.
     */
    private void linger() throws IOException {
        channel.shutdownOutput();
        phase = Phase.WAITING;
        progress();
        ByteBuffer drop = ByteBuffer.allocate(4096);
        long total = 0;
        while (total < 64 * 1024) {
            drop.clear();
            int n = channel.read(drop);
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    /** The request head (up to the empty line) as text, or empty at a clean end of stream. */
    private Optional<String> readHead() throws IOException {
        while (true) {
            int end = endOfHead();
            if (end >= 0) {
                String head = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
                int after = in.get(end) == '\r' ? end + 4 : end + 2;
                in.flip().position(after);
                in.compact();
                return Optional.of(head);
            }
            if (!in.hasRemaining()) {
                throw new HeadTooLarge();
            }
            int n = channel.read(in);
            if (n < 0) {
                if (in.position() > 0 && !blankOnly()) {
                    LOG.debug("{}: {} closed in the middle of a request", engine.settings.name(), peer);
                }
                return Optional.empty();
            }
            phase = Phase.READING;
            progress();
        }
    }

    /** The index of the CRLF CRLF (or LF LF) that ends the head in the buffer, or -1. */
    private int endOfHead() {
        byte[] a = in.array();
        int limit = in.position();
        for (int i = 0; i + 1 < limit; i++) {
            if (a[i] == '\n' && a[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < limit && a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean blankOnly() {
        for (int i = 0; i < in.position(); i++) {
            if (in.get(i) != '\r' && in.get(i) != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Answers one request. */
    private void respond(RequestHead req) throws IOException {
        boolean head = headRequest;
        if (!head && !req.method().equals("GET")) {
            send(new ResponseHead(405, engine.now()).field("Allow", "GET, HEAD").field("Content-Length", 0), null);
            return;
        }
        String name;
        try {
            name = RequestPath.name(req.target());
        } catch (RequestPath.Refused e) {
            engine.stats.refused.increment();
            LOG.info("{}: refused {} from {}: {}", engine.settings.name(), req.target(), peer, e.getMessage());
            failed(head, req.target(), 0, Duration.ZERO, "refused: " + e.getMessage());
            error(400);
            return;
        }
        Optional<BootFile> file = engine.files().apply(name);
        Optional<ServedFile> opened = file.isEmpty() ? Optional.empty() : ServedFile.open(file.get(), engine.started());
        if (opened.isEmpty()) {
            engine.stats.notFound.increment();
            failed(head, name, 0, Duration.ZERO, "file not found");
            error(404);
            return;
        }
        try (ServedFile f = opened.get()) {
            serve(req, f, head);
        }
    }

    private void serve(RequestHead req, ServedFile f, boolean head) throws IOException {
        if (Preconditions.notModified(req, f)) {
            send(validators(new ResponseHead(304, engine.now()), f), null);
            return;
        }
        ByteRanges.Outcome ranges = Preconditions.rangeApplies(req, f)
                ? ByteRanges.resolve(req.field("range"), f.size()) : new ByteRanges.Outcome.Whole();
        switch (ranges) {
            case ByteRanges.Outcome.Unsatisfiable u -> send(new ResponseHead(416, engine.now())
                    .field("Content-Range", "bytes */" + f.size()).field("Content-Length", 0), null);
            case ByteRanges.Outcome.Whole w -> {
                ResponseHead h = validators(new ResponseHead(200, engine.now()), f)
                        .field("Content-Type", f.contentType()).field("Content-Length", f.size());
                if (head) {
                    send(h, null);
                } else {
                    sendWhole(h, f);
                }
            }
            case ByteRanges.Outcome.Partial p when p.ranges().size() == 1 -> {
                ByteRanges.Range r = p.ranges().getFirst();
                writeHead(validators(new ResponseHead(206, engine.now()), f)
                        .field("Content-Type", f.contentType()).field("Content-Range", r.contentRange(f.size()))
                        .field("Content-Length", r.length()));
                if (!head) {
                    body(f, r.first(), r.length());
                }
            }
            case ByteRanges.Outcome.Partial p -> sendMultipart(f, p.ranges(), head);
        }
    }

    private void sendWhole(ResponseHead h, ServedFile f) throws IOException {
        long startNanos = System.nanoTime();
        try {
            writeHead(h);
            body(f, 0, f.size());
        } catch (IOException e) {
            engine.stats.failedTransfers.increment();
            failed(false, f.name(), bodyBytes, Duration.ofNanos(System.nanoTime() - startNanos),
                    engine.running() ? "client stopped or stalled: " + e.getClass().getSimpleName() : "server stopped");
            throw e;
        }
        Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
        engine.stats.filesSent.increment();
        LOG.debug("{}: sent {} ({} bytes) to {} in {}", engine.settings.name(), f.name(), f.size(), peer, d);
        address().ifPresent(a -> engine.emit(new BootEvent.FileSent(engine.now(), a, f.name(), f.size(), d, "http")));
    }

    private void sendMultipart(ServedFile f, List<ByteRanges.Range> ranges, boolean head) throws IOException {
        String boundary = engine.boundary();
        List<byte[]> partHeads = new ArrayList<>();
        long length = 0;
        for (ByteRanges.Range r : ranges) {
            byte[] ph = ("\r\n--" + boundary + "\r\nContent-Type: " + f.contentType() + "\r\nContent-Range: "
                    + r.contentRange(f.size()) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            partHeads.add(ph);
            length += ph.length + r.length();
        }
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        length += tail.length;
        ResponseHead h = validators(new ResponseHead(206, engine.now()), f)
                .field("Content-Type", "multipart/byteranges; boundary=" + boundary).field("Content-Length", length);
        writeHead(h);
        if (!head) {
            for (int i = 0; i < ranges.size(); i++) {
                write(ByteBuffer.wrap(partHeads.get(i)));
                body(f, ranges.get(i).first(), ranges.get(i).length());
            }
            write(ByteBuffer.wrap(tail));
        }
    }

    private static ResponseHead validators(ResponseHead h, ServedFile f) {
        return h.field("Last-Modified", HttpDates.format(f.lastModified())).field("ETag", f.etag())
                .field("Accept-Ranges", "bytes");
    }

    /** Writes {@code length} bytes of {@code f} from {@code position}: from memory, or by sendfile. */
    private void body(ServedFile f, long position, long length) throws IOException {
        if (f.bytes() != null) {
            write(ByteBuffer.wrap(f.bytes(), (int) position, (int) length));
            bodyBytes += length;
            return;
        }
        long done = 0;
        boolean full = false;
        while (done < length) {
            long n;
            if (full) {
                // (On a platform thread sendfile blocks until all is sent.) A virtual thread's
                // socket is non-blocking underneath: sendfile returns early
                // when the socket buffer is full. One ordinary write parks this thread until
                // the client has read enough, then sendfile goes on.
                n = copyOnce(f, position + done, length - done);
                full = false;
            } else {
                long asked = Math.min(SEND_CHUNK, length - done);
                n = f.channel().transferTo(position + done, asked, channel);
                full = n < asked;
            }
            done += n;
            bodyBytes += n;
            engine.stats.bytesSent.add(n);
            progress();
        }
    }

    /**
     * Sends the last, partly filled segment of a response now. Nagle's algorithm stays on
     * while a response is written (as nginx's {@code tcp_nopush} for {@code sendfile}: full
     * segments, no small one at the end of each {@code sendfile} call or parking write); at
     * the end of a response on a kept-alive connection, switching {@code TCP_NODELAY} on
     * flushes the tail (nginx's {@code tcp_nodelay} for keep-alive), so the client does not
     * wait for its delayed ACK to see the end. A closing connection flushes with its FIN.
     */
    private void push() throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, false);
    }

    /** Copies up to {@link #COPY_CHUNK} bytes through a buffer with a (parking) write. */
    private long copyOnce(ServedFile f, long position, long left) throws IOException {
        if (copy == null) {
            copy = ByteBuffer.allocateDirect(COPY_CHUNK);
        }
        copy.clear().limit((int) Math.min(COPY_CHUNK, left));
        int r = f.channel().read(copy, position);
        if (r <= 0) {
            throw new IOException(f.name() + " shrank while it was sent");
        }
        copy.flip();
        while (copy.hasRemaining()) {
            channel.write(copy);
        }
        return r;
    }

    private void send(ResponseHead h, ByteBuffer body) throws IOException {
        writeHead(h);
        if (body != null && !headRequest) {
            write(body);
        }
    }

    /** Writes the head, with {@code Connection: close} when the connection ends after it (or keep-alive for HTTP/1.0). */
    private void writeHead(ResponseHead h) throws IOException {
        if (!keep) {
            h.field("Connection", "close");
        } else if (minorVersion == 0) {
            h.field("Connection", "keep-alive");
        }
        write(h.end());
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.write(b);
            engine.stats.bytesSent.add(n);
            progress();
        }
    }

    /** A short error response with a text body. */
    private void error(int status) throws IOException {
        byte[] body = (status + " " + ResponseHead.reason(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        send(new ResponseHead(status, engine.now()).field("Content-Type", "text/plain").field("Content-Length", body.length),
                ByteBuffer.wrap(body));
    }

    private void failed(boolean head, String name, long bytes, Duration d, String reason) {
        if (!head) {
            address().ifPresent(a -> engine.emit(new BootEvent.FileFailed(engine.now(), a, name, bytes, d, reason, "http")));
        }
    }

    private Optional<Inet4Address> address() {
        return peer.getAddress() instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
    }

    private void progress() {
        progressNanos = System.nanoTime();
    }

    /** The request head does not fit {@link #MAX_HEAD}. */
    private static final class HeadTooLarge extends IOException {
        HeadTooLarge() {
            super("request head larger than " + MAX_HEAD + " bytes");
        }
    }
}
