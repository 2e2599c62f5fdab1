package io.netboot4j.dhcp.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A command to a running Kea server over its Unix control socket ({@code control-socket} in
 * {@code Dhcp4}): one JSON command per connection, Kea answers with one JSON object and
 * closes. The same commands {@code kea-shell} sends through the control agent, without
 * that extra daemon.
 */
public final class KeaControlSocket {

    /** Kea's answer for success: {@code "result": 0}. */
    private static final Pattern SUCCESS = Pattern.compile("\"result\"\\s*:\\s*0\\b");
    /** The most of an answer kept. */
    private static final int MAX_ANSWER = 1 << 20;

    private KeaControlSocket() {
    }

    /**
     * Sends {@code {"command": command}} and returns Kea's answer.
     *
     * @throws IOException if the socket cannot be reached, Kea does not answer within
     *     {@code timeout}, or its answer is not a success (the answer is in the message)
     */
    public static String command(Path socket, String command, Duration timeout) throws IOException {
        return command(socket, command, null, timeout);
    }

    /**
     * Sends {@code {"command": command, "arguments": arguments}} and returns Kea's answer.
     *
     * @param arguments a JSON object, or {@code null} for none
     * @throws IOException as {@link #command(Path, String, Duration)}
     */
    public static String command(Path socket, String command, String arguments, Duration timeout) throws IOException {
        String request = "{ \"command\": \"" + command + "\"" + (arguments == null ? "" : ", \"arguments\": " + arguments) + " }";
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("kea-dhcp4 did not answer '" + command + "' on " + socket + " within " + timeout);
                }
                selector.select(left);
                selector.selectedKeys().clear();
                in.clear();
                int n = ch.read(in);
                if (n < 0) {
                    break;
                }
                answer.write(in.array(), 0, n);
                if (answer.size() > MAX_ANSWER) {
                    throw new IOException("kea-dhcp4's answer to '" + command + "' on " + socket + " exceeds " + MAX_ANSWER + " bytes");
                }
            }
        }
        String text = answer.toString(StandardCharsets.UTF_8);
        if (!SUCCESS.matcher(text).find()) {
            throw new IOException("kea-dhcp4 refused '" + command + "' on " + socket + ": " + (text.isEmpty() ? "(no answer)" : text));
        }
        return text;
    }
}
