package io.netboot4j.tftp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** A packet-level TFTP client for tests that need to misbehave on purpose. */
final class RawClient implements AutoCloseable {

    final DatagramSocket socket;

    RawClient() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A client bound to {@code address} (any 127.x.y.z works on Linux loopback). */
    RawClient(InetAddress address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(2000);
    }

    /** A received packet. */
    record Packet(InetSocketAddress from, byte[] data) {
        int opcode() {
            return ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        }

        int block() {
            return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }

        int payload() {
            return data.length - 4;
        }

        String errorMessage() {
            return new String(data, 4, Math.max(0, data.length - 5), StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return "op " + opcode() + " block/code " + block() + " len " + data.length
                    + (opcode() == 5 ? " '" + errorMessage() + "'" : "");
        }
    }

    static byte[] request(int op, String name, String mode, Map<String, String> options) {
        var out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(op);
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.writeBytes(mode.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        options.forEach((k, v) -> {
            out.writeBytes(k.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
            out.writeBytes(v.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        });
        return out.toByteArray();
    }

    static byte[] ack(int block) {
        return new byte[] {0, 4, (byte) (block >>> 8), (byte) block};
    }

    void send(byte[] data, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The next packet, or null after {@code timeoutMillis}. */
    Packet receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Packet((InetSocketAddress) p.getSocketAddress(), Arrays.copyOf(buf, p.getLength()));
    }

    @Override
    public void close() {
        socket.close();
    }
}
