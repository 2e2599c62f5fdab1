package io.netboot4j.core.net;

import io.netboot4j.core.internal.LinuxSyscalls;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A raw ICMPv6 socket bound to one network interface with {@code SO_BINDTODEVICE} (Linux),
 * receiving only the ICMPv6 types it was opened for, sending with hop limit 255 as
 * Neighbor Discovery requires (RFC 4861 section 6.1). The kernel computes and checks the
 * ICMPv6 checksum of raw ICMPv6 sockets itself (RFC 3542 section 3.1), so messages are
 * sent and received without it mattering. Opened through
 * {@link NetworkSeam#openInterfaceIcmpv6(String, int, List)}; needs {@code CAP_NET_RAW}.
 *
 * <p>{@link #receive} blocks in a system call: call it from a platform thread.
 * Thread-safe: one receiver and any number of senders.
 */
public final class Icmpv6Socket implements AutoCloseable {

    private static final int MAX_MESSAGE = 2048;

    private final BoundDescriptor socket;
    private final String interfaceName;
    private final int interfaceIndex;

    private Icmpv6Socket(int fd, String interfaceName, int interfaceIndex) {
        this.socket = new BoundDescriptor(fd, "ICMPv6 socket on " + interfaceName, MAX_MESSAGE, LinuxSyscalls.SOCKADDR_IN6_SIZE);
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
    }

    static Icmpv6Socket open(String interfaceName, int interfaceIndex, int icmpType, List<Inet6Address> groups) throws IOException {
        LinuxSyscalls.requireLinux("a raw ICMPv6 socket on interface " + interfaceName);
        if (icmpType < 0 || icmpType > 255) {
            throw new IllegalArgumentException("ICMPv6 type " + icmpType + " is not between 0 and 255");
        }
        int fd = LinuxSyscalls.socket(LinuxSyscalls.AF_INET6, LinuxSyscalls.SOCK_RAW | LinuxSyscalls.SOCK_CLOEXEC,
                LinuxSyscalls.IPPROTO_ICMPV6);
        try {
            LinuxSyscalls.setBytesOption(fd, LinuxSyscalls.IPPROTO_ICMPV6, LinuxSyscalls.ICMP6_FILTER, passOnly(icmpType));
            LinuxSyscalls.bindToDevice(fd, interfaceName);
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.IPPROTO_IPV6, LinuxSyscalls.IPV6_MULTICAST_HOPS, 255);
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.IPPROTO_IPV6, LinuxSyscalls.IPV6_UNICAST_HOPS, 255);
            LinuxSyscalls.setIntOption(fd, LinuxSyscalls.IPPROTO_IPV6, LinuxSyscalls.IPV6_MULTICAST_LOOP, 0);
            for (Inet6Address group : groups) {
                LinuxSyscalls.setBytesOption(fd, LinuxSyscalls.IPPROTO_IPV6, LinuxSyscalls.IPV6_ADD_MEMBERSHIP,
                        membership(group, interfaceIndex));
            }
            LinuxSyscalls.receiveTimeout(fd, 250);
            return new Icmpv6Socket(fd, interfaceName, interfaceIndex);
        } catch (IOException e) {
            LinuxSyscalls.close(fd);
            throw new IOException("cannot open a raw ICMPv6 socket on interface " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    /** {@code struct icmp6_filter}: eight 32-bit words in host order, a set bit blocks that type. */
    static byte[] passOnly(int type) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        for (int word = 0; word < 8; word++) {
            b.putInt(word == type >>> 5 ? ~(1 << (type & 31)) : -1);
        }
        return b.array();
    }

    /** {@code struct ipv6_mreq}: the group, then the interface index in host order. */
    private static byte[] membership(Inet6Address group, int interfaceIndex) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.put(group.getAddress());
        b.putInt(interfaceIndex);
        return b.array();
    }

    /** The interface this socket is bound to. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The kernel's index of that interface (the scope of its link-local addresses). */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /**
     * Waits up to about 250 ms for one ICMPv6 message (from its type byte on) and copies it
     * into {@code into} (truncated to its remaining space).
     *
     * @return the sender (with the interface as scope), or {@code null} if nothing arrived in
     *     time or the socket closed
     */
    public Inet6Address receive(ByteBuffer into) throws IOException {
        return socket.receive(into, from -> {
            try {
                return Inet6Address.getByAddress(null, LinuxSyscalls.sockaddrIn6Address(from), LinuxSyscalls.sockaddrIn6Scope(from));
            } catch (UnknownHostException e) {
                throw new IOException("sender address of an ICMPv6 message on " + interfaceName, e);
            }
        });
    }

    /** Sends the remaining bytes of {@code message} (an ICMPv6 message, checksum filled in by the kernel) to {@code to} on this interface. */
    public void send(ByteBuffer message, Inet6Address to) throws IOException {
        socket.send(message, a -> LinuxSyscalls.sockaddrIn6(a, to.getAddress(), interfaceIndex));
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
