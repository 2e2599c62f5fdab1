package io.netboot4j.testkit.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * An HTTP GET as iPXE makes it for a {@code kernel http://...} or {@code initrd http://...}
 * line of its script: HTTP/1.1 over a TCP connection from the node's own address, the body
 * read by {@code Content-Length} (or to the close) and checked as it arrives (length and
 * CRC-32C). The node's {@link Impairment} applies to the request and to every read of the
 * body (a "lost" segment costs an RTO).
 */
public final class HttpFetch {

    private HttpFetch() {
    }

    /**
     * Fetches {@code url} from {@code local}; the result has the size and CRC-32C, no bytes. A
     * {@code 503} with {@code Retry-After} is retried after that many seconds (at least one) on
     * a new connection, as iPXE's HTTP client does ({@code http_core.c}: the response's retry
     * flag starts a timer that reopens the transaction; from memory of the source); any other
     * status fails the fetch. The retries are the result's retransmissions.
     */
    public static TftpFetch.Result get(NetworkSeam seam, Inet4Address local, String url, Impairment link) throws IOException {
        URI uri = URI.create(url);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        for (int retries = 0;; retries++) {
            Attempt a = attempt(seam, local, uri, port, link);
            if (a.retryAfterSeconds() < 0) {
                TftpFetch.Result r = a.result();
                return new TftpFetch.Result(r.size(), r.crc32c(), r.data(), retries, r.failure());
            }
            try {
                Thread.sleep(Math.max(1, a.retryAfterSeconds()) * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting to retry after a 503", e);
            }
        }
    }

    /** One request's result, or the seconds the server asked to wait before the next ({@code -1}: none). */
    private record Attempt(TftpFetch.Result result, long retryAfterSeconds) {
    }

    private static Attempt attempt(NetworkSeam seam, Inet4Address local, URI uri, int port, Impairment link) throws IOException {
        Socket s;
        try {
            s = seam.call(() -> {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(local, 0));
                return socket;
            });
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot bind a socket to " + local.getHostAddress() + ": " + e.getMessage(), e);
        }
        try (s) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 30_000);
            s.setSoTimeout(60_000);
            link.tcp();
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nConnection: keep-alive\r\nUser-Agent: iPXE/1.0.0+\r\nHost: "
                    + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + port) + "\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 << 10);
            String status = line(in);
            long length = -1;
            long retryAfter = -1;
            for (String h; !(h = line(in)).isEmpty();) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                } else if (lower.startsWith("retry-after:")) {
                    try {
                        retryAfter = Long.parseLong(h.substring(12).strip());
                    } catch (NumberFormatException e) {
                        retryAfter = 1; // an HTTP date: wait the least
                    }
                }
            }
            if (status.matches("HTTP/1\\.[01] 503.*") && retryAfter >= 0) {
                return new Attempt(null, retryAfter);
            }
            if (!status.matches("HTTP/1\\.[01] 200.*")) {
                return new Attempt(new TftpFetch.Result(0, 0, null, 0, status), -1);
            }
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[64 << 10];
            long size = 0;
            while (length < 0 || size < length) {
                int n = in.read(buf, 0, (int) (length < 0 ? buf.length : Math.min(buf.length, length - size)));
                if (n < 0) {
                    break;
                }
                link.tcp();
                crc.update(buf, 0, n);
                size += n;
            }
            if (length >= 0 && size != length) {
                return new Attempt(new TftpFetch.Result(size, crc.getValue(), null, 0,
                        "the connection closed after " + size + " of " + length + " bytes"), -1);
            }
            return new Attempt(new TftpFetch.Result(size, crc.getValue(), null, 0, null), -1);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0 && c != '\n';) {
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 8192) {
                throw new IOException("an HTTP header line longer than 8 KiB");
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }
}
