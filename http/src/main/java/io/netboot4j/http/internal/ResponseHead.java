package io.netboot4j.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The status line and header fields of one response, rendered as HTTP/1.1 bytes. */
public final class ResponseHead {

    private final StringBuilder text = new StringBuilder(256);

    /** Starts a response with {@code status}, {@code Date} and {@code Server}. */
    public ResponseHead(int status, Instant now) {
        text.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        field("Date", HttpDates.format(now));
        field("Server", "netboot4j");
    }

    /** Adds one header field. */
    public ResponseHead field(String name, Object value) {
        text.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** Ends the head: the empty line, as bytes ready to write. */
    public ByteBuffer end() {
        text.append("\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The reason phrase of the statuses this server sends. */
    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 206 -> "Partial Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 416 -> "Range Not Satisfiable";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }
}
