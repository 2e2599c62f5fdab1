package io.netboot4j.core.net;

import io.netboot4j.core.Ipv4;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Collections;
import java.util.concurrent.Callable;

/**
 * The one place where netboot4j servers open sockets.
 *
 * <p>Every server opens its sockets through this seam, never with
 * {@code DatagramChannel.open()} of its own, and runs start-up code of third-party
 * libraries that open their own sockets (oncrpc4j/Grizzly) inside {@link #call(Callable)}.
 * The {@linkplain #host() default} opens them in the JVM's own network; the testkit's
 * namespace seam opens them on a platform thread that entered a Linux network namespace,
 * so every socket of an in-process server lives there. A socket keeps the namespace it
 * was created in and works from any thread afterwards.
 */
public interface NetworkSeam {

    /**
     * Runs {@code block} where this seam's sockets are created and returns its result.
     *
     * @throws Exception whatever {@code block} throws
     */
    <T> T call(Callable<T> block) throws Exception;

    /** A short description for messages, for example {@code host network} or {@code netns nb-test}. */
    String describe();

    /** The JVM's own network. */
    static NetworkSeam host() {
        return HostNetwork.INSTANCE;
    }

    /** Opens a UDP channel bound to {@code local} (port 0 picks a free port), with {@code SO_REUSEADDR}. */
    default DatagramChannel openUdp(InetSocketAddress local) throws IOException {
        return openUdp(local, true);
    }

    /**
     * Opens a UDP channel bound to {@code local}, with or without {@code SO_REUSEADDR}.
     * Sockets on an ephemeral port (port 0) should go without: with it, Linux may hand a
     * new socket a port that another {@code SO_REUSEADDR} socket on the same address already
     * has, and the two then share that port's datagrams (a TFTP server's transfer IDs would
     * collide).
     *
     * @param local the address and port; port 0 picks a free port
     * @param reuseAddress whether to set {@code SO_REUSEADDR} before binding
     */
    default DatagramChannel openUdp(InetSocketAddress local, boolean reuseAddress) throws IOException {
        return io(() -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
                ch.bind(local);
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }, "open UDP socket on " + local);
    }

    /** Opens a TCP listening channel bound to {@code local}. */
    default ServerSocketChannel openTcp(InetSocketAddress local, int backlog) throws IOException {
        return io(() -> {
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(local, backlog);
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }, "open TCP socket on " + local);
    }

    /**
     * Opens a UDP socket on {@code port} of all addresses, bound with
     * {@code SO_BINDTODEVICE} to {@code interfaceName}, broadcast enabled: it receives
     * broadcasts arriving on that interface alone, and its broadcasts leave by it.
     * Linux only.
     */
    default InterfaceSocket openInterfaceUdp(String interfaceName, int port) throws IOException {
        return io(() -> InterfaceSocket.open(interfaceName, port), "open UDP socket on interface " + interfaceName);
    }

    /**
     * Opens a raw ICMPv6 socket bound with {@code SO_BINDTODEVICE} to {@code interfaceName}
     * that receives only ICMPv6 messages of {@code icmpType} and has joined the multicast
     * {@code groups} on that interface; it sends with hop limit 255 (Neighbor Discovery,
     * RFC 4861). Linux only; needs {@code CAP_NET_RAW}.
     *
     * @throws IOException if the interface does not exist or the socket cannot be opened
     *     (no permission, IPv6 disabled)
     */
    default Icmpv6Socket openInterfaceIcmpv6(String interfaceName, int icmpType, java.util.List<java.net.Inet6Address> groups)
            throws IOException {
        return io(() -> {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                throw new IOException("network interface '" + interfaceName + "' does not exist in the " + describe());
            }
            return Icmpv6Socket.open(interfaceName, ni.getIndex(), icmpType, groups);
        }, "open ICMPv6 socket on interface " + interfaceName);
    }

    /**
     * Checks that {@code interfaceName} exists in this seam's network, is up, and carries
     * {@code address}.
     *
     * @throws IOException saying which of these is not so, and what the interface does carry
     */
    default void requireInterface(String interfaceName, Inet4Address address) throws IOException {
        requireInterfaceAddress(interfaceName, address);
        if (!isRunning(interfaceName)) {
            throw new IOException("network interface '" + interfaceName + "' is down");
        }
    }

    /**
     * Checks that {@code interfaceName} exists in this seam's network and carries
     * {@code address}, whether or not its link is up.
     *
     * @throws IOException saying which of these is not so, and what the interface does carry
     */
    default void requireInterfaceAddress(String interfaceName, Inet4Address address) throws IOException {
        io(() -> {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                StringBuilder names = new StringBuilder();
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    names.append(names.isEmpty() ? "" : ", ").append(n.getName());
                }
                throw new IOException("network interface '" + interfaceName + "' does not exist in the " + describe()
                        + " (interfaces: " + names + ")");
            }
            boolean found = false;
            StringBuilder has = new StringBuilder();
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address v4) {
                    has.append(has.isEmpty() ? "" : ", ").append(Ipv4.format(v4));
                    found |= v4.equals(address);
                }
            }
            if (!found) {
                throw new IOException("network interface '" + interfaceName + "' does not carry the server address "
                        + Ipv4.format(address) + " (it has: " + (has.isEmpty() ? "no IPv4 address" : has) + ")");
            }
            return null;
        }, "check interface " + interfaceName);
    }

    /**
     * Whether {@code interfaceName} is up and has a carrier (Linux {@code IFF_UP} and
     * {@code IFF_RUNNING}): false for a bridge none of whose ports is up yet.
     *
     * @throws IOException if the interface does not exist in this seam's network
     */
    default boolean isRunning(String interfaceName) throws IOException {
        return io(() -> {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                throw new IOException("network interface '" + interfaceName + "' does not exist in the " + describe());
            }
            return ni.isUp();
        }, "check interface " + interfaceName);
    }

    private <T> T io(Callable<T> block, String what) throws IOException {
        try {
            return call(block);
        } catch (IOException e) {
            throw e;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not " + what + " in the " + describe() + ": " + e.getMessage(), e);
        }
    }
}
