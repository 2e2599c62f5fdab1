package io.netboot4j.core.net;

import io.netboot4j.core.Ipv4;
import io.netboot4j.core.internal.LinuxSyscalls;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket bound to one network interface with {@code SO_BINDTODEVICE} (Linux), for
 * servers that must receive broadcasts on the cluster interface alone and whose
 * broadcasts must leave by it: the guide's "if you put the wrong card ... bad things will
 * happen". Opened through {@link NetworkSeam#openInterfaceUdp(String, int)}.
 *
 * <p>{@link #receive} blocks in a system call: call it from a platform thread.
 * Thread-safe: one receiver and any number of senders.
 */
public final class InterfaceSocket implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65536;

    private final BoundDescriptor socket;
    private final String interfaceName;
    private final int port;

    private InterfaceSocket(int fd, String interfaceName, int port) {
        this.socket = new BoundDescriptor(fd, "socket on " + interfaceName, MAX_DATAGRAM, 16);
        this.interfaceName = interfaceName;
        this.port = port;
    }

    static InterfaceSocket open(String interfaceName, int port) throws IOException {
        LinuxSyscalls.requireLinux("binding a socket to interface " + interfaceName);
        int fd = LinuxSyscalls.socket(LinuxSyscalls.AF_INET, LinuxSyscalls.SOCK_DGRAM | LinuxSyscalls.SOCK_CLOEXEC, 0);
        try {
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.SOL_SOCKET, LinuxSyscalls.SO_REUSEADDR, 1);
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.SOL_SOCKET, LinuxSyscalls.SO_BROADCAST, 1);
            LinuxSyscalls.bindToDevice(fd, interfaceName);
            LinuxSyscalls.receiveTimeout(fd, 250);
            LinuxSyscalls.bind(fd, 0, port);
            return new InterfaceSocket(fd, interfaceName, LinuxSyscalls.localPort(fd));
        } catch (IOException e) {
            LinuxSyscalls.close(fd);
            throw new IOException("cannot listen on UDP port " + port + " of interface " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    /** The interface this socket is bound to. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The local UDP port. */
    public int port() {
        return port;
    }

    /**
     * Waits up to about 250 ms for one datagram and copies it into {@code into}
     * (truncated to its remaining space).
     *
     * @return the sender, or {@code null} if nothing arrived in time or the socket closed
     */
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        return socket.receive(into, from -> new InetSocketAddress(Ipv4.fromInt(LinuxSyscalls.sockaddrAddress(from)),
                LinuxSyscalls.sockaddrPort(from)));
    }

    /** Sends the remaining bytes of {@code data} to {@code to} (which may be 255.255.255.255). */
    public void send(ByteBuffer data, InetSocketAddress to) throws IOException {
        if (!(to.getAddress() instanceof Inet4Address v4)) {
            throw new IOException("not an IPv4 destination: " + to);
        }
        socket.send(data, a -> LinuxSyscalls.sockaddr(a, Ipv4.toInt(v4), to.getPort()));
    }

    /**
     * Asks the kernel for a receive buffer of {@code bytes}, so that bursts (hundreds of
     * PXE clients powered on at once) wait in the kernel instead of being dropped while the
     * receiving thread is not scheduled. Uses {@code SO_RCVBUFFORCE} when the process may
     * (CAP_NET_ADMIN), otherwise {@code SO_RCVBUF}, which the kernel caps at
     * {@code net.core.rmem_max}.
     *
     * @throws IOException if the socket is closed or the kernel refuses both
     */
    public void receiveBufferSize(int bytes) throws IOException {
        int fd = socket.fd();
        try {
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.SOL_SOCKET, LinuxSyscalls.SO_RCVBUFFORCE, bytes);
        } catch (IOException notPermitted) {
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.SOL_SOCKET, LinuxSyscalls.SO_RCVBUF, bytes);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes the socket; wakes a blocked {@link #receive}. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }
}
