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

    /** Fetches {@code url} from {@code local}; the result has the size and CRC-32C, no bytes. */
    public static TftpFetch.Result get(NetworkSeam seam, Inet4Address local, String url, Impairment link) throws IOException {
        URI uri = URI.create(url);
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
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
            if (!status.matches("HTTP/1\\.[01] 200.*")) {
                return new TftpFetch.Result(0, 0, null, 0, url + ": " + status);
            }
            long length = -1;
            for (String h; !(h = line(in)).isEmpty();) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                }
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
                return new TftpFetch.Result(size, crc.getValue(), null, 0, url + ": the connection closed after " + size + " of " + length + " bytes");
            }
            return new TftpFetch.Result(size, crc.getValue(), null, 0, null);
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
