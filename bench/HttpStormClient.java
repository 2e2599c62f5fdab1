import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The storm client of bench/http.sh: opens N connections at once to 127.0.0.1:port, asks each
 * for the same file (HTTP/1.1, Connection: close), and checks every body byte against the file
 * on disk. A few threads (default: one per CPU), each with one selector and one read buffer
 * for its share of the connections: per byte the client costs one copy out of the socket and
 * one compare (no per-client process, no pipe), so the server's own cost per byte decides how
 * much of the CPUs is left to move bytes — the same client for every server.
 *
 * Usage: java bench/HttpStormClient.java <port> <path on the server> <local copy of the file> <clients> [threads]
 * Prints one line: {@code clients=N threads=T ok=K failed=F bytes=B seconds=S cpu=C} (S from the
 * first connect to the last byte; C the CPU seconds this client used meanwhile).
 */
public class HttpStormClient {

    private static final class Conn {
        final ByteBuffer head = ByteBuffer.allocate(4096);
        boolean inBody;
        long expected = -1;
        long received;
        String failure;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        MappedByteBuffer file;
        try (FileChannel fc = FileChannel.open(Path.of(args[2]), StandardOpenOption.READ)) {
            file = fc.map(FileChannel.MapMode.READ_ONLY, 0, fc.size());
        }
        file.load();
        int clients = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: nb4j-storm\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[][] results = new long[threads][];
        Thread[] workers = new Thread[threads];
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            int mine = clients / threads + (t < clients % threads ? 1 : 0);
            workers[t] = Thread.ofPlatform().name("storm-" + t).start(() -> {
                try {
                    results[index] = run(to, mine, file, request);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        long ok = 0;
        long failed = 0;
        long bytes = 0;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (results[t] == null) {
                System.exit(2);
            }
            ok += results[t][0];
            failed += results[t][1];
            bytes += results[t][2];
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("clients=%d threads=%d ok=%d failed=%d bytes=%d seconds=%.3f cpu=%.2f%n", clients, threads, ok,
                failed, bytes, s, cpu);
    }

    /** Runs {@code clients} connections on one selector until all ended; returns {ok, failed, bytes}. */
    private static long[] run(InetSocketAddress to, int clients, MappedByteBuffer file, byte[] request) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        long ok = 0;
        long failed = 0;
        long bytes = 0;
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.connect(to);
                ch.register(sel, SelectionKey.OP_CONNECT, new Conn());
            }
            int left = clients;
            while (left > 0) {
                sel.select(1000);
                for (var it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    SocketChannel ch = (SocketChannel) k.channel();
                    Conn c = (Conn) k.attachment();
                    boolean done;
                    try {
                        done = step(k, ch, c, buf, file, request);
                    } catch (IOException e) {
                        c.failure = e.toString();
                        done = true;
                    }
                    if (done) {
                        k.cancel();
                        ch.close();
                        left--;
                        bytes += c.received;
                        if (c.failure == null && c.received == c.expected) {
                            ok++;
                        } else {
                            failed++;
                            System.err.println("failed: " + (c.failure != null ? c.failure
                                    : "got " + c.received + " of " + c.expected + " bytes"));
                        }
                    }
                }
            }
        }
        return new long[] {ok, failed, bytes};
    }

    /** One readiness event; true when the connection is finished (well or not). */
    private static boolean step(SelectionKey k, SocketChannel ch, Conn c, ByteBuffer buf, MappedByteBuffer file,
                                byte[] request) throws IOException {
        if (k.isConnectable()) {
            ch.finishConnect();
            ch.write(ByteBuffer.wrap(request)); // 100 bytes into an empty socket buffer: all of it
            k.interestOps(SelectionKey.OP_READ);
            return false;
        }
        buf.clear();
        int n = ch.read(buf);
        if (n < 0) {
            if (c.expected < 0) {
                c.failure = "connection closed before the response head";
            }
            return true;
        }
        buf.flip();
        if (!c.inBody) {
            while (buf.hasRemaining() && c.head.hasRemaining() && !c.inBody) {
                c.head.put(buf.get());
                c.inBody = endsHead(c.head);
            }
            if (!c.inBody) {
                if (!c.head.hasRemaining()) {
                    c.failure = "response head too long";
                    return true;
                }
                return false;
            }
            String head = new String(c.head.array(), 0, c.head.position(), StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200")) {
                c.failure = "status " + head.lines().findFirst().orElse("");
                return true;
            }
            c.expected = contentLength(head);
            if (c.expected != file.capacity()) {
                c.failure = "Content-Length " + c.expected + ", file has " + file.capacity();
                return true;
            }
        }
        int len = buf.remaining();
        if (c.received + len > c.expected) {
            c.failure = "more bytes than Content-Length";
            return true;
        }
        if (buf.mismatch(file.slice((int) c.received, len)) >= 0) {
            c.failure = "body differs from the file near byte " + c.received;
            return true;
        }
        c.received += len;
        return false;
    }

    private static boolean endsHead(ByteBuffer h) {
        int p = h.position();
        return p >= 4 && h.get(p - 4) == '\r' && h.get(p - 3) == '\n' && h.get(p - 2) == '\r' && h.get(p - 1) == '\n';
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return -1;
    }
}
