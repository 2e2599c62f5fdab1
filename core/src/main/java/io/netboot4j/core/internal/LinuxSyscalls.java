package io.netboot4j.core.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few Linux system calls netboot4j needs, through the Foreign Function &amp; Memory
 * API: UDP and raw ICMPv6 sockets bound to one interface ({@code SO_BINDTODEVICE}),
 * {@code setns} and {@code mknod}. Every call reports failure as an {@link IOException} carrying the call,
 * errno and {@code strerror} text.
 *
 * <p>Needs {@code --enable-native-access} for the calling module.
 */
public final class LinuxSyscalls {

    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_BINDTODEVICE = 25;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SHUT_RDWR = 2;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int AF_INET6 = 10;
    public static final int SOCK_RAW = 3;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    /** Level {@code IPPROTO_ICMPV6}: which ICMPv6 types a raw socket receives ({@code struct icmp6_filter}). */
    public static final int ICMP6_FILTER = 1;
    /** Size of a {@code sockaddr_in6}. */
    public static final int SOCKADDR_IN6_SIZE = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = handle("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = handle("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle MKNOD = handle("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LinuxSyscalls() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LIBC.find(name).map(s -> LINKER.downcallHandle(s, fd, ERRNO_OPTION)).orElse(null);
    }

    /** Whether this JVM runs on Linux, where these calls exist. */
    public static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /** Throws a clear error unless on Linux. */
    public static void requireLinux(String what) throws IOException {
        if (!isLinux() || SOCKET == null) {
            throw new IOException(what + " needs Linux (this is " + System.getProperty("os.name") + ")");
        }
    }

    /** The text of {@code errno}. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code socket(2)}. */
    public static int socket(int domain, int type, int protocol) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(st, domain, type, protocol);
            if (fd < 0) {
                throw failure("socket", errno(st));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("socket", t);
        }
    }

    /** {@code setsockopt(2)} with an int value. */
    public static void setIntOption(int fd, int level, int option, int value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            setOption(fd, level, option, v, "setsockopt(" + option + ")");
        }
    }

    /** {@code setsockopt(SO_BINDTODEVICE)}: the socket receives and sends on {@code device} alone. */
    public static void bindToDevice(int fd, String device) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocateFrom(device);
            setOption(fd, SOL_SOCKET, SO_BINDTODEVICE, v, "setsockopt(SO_BINDTODEVICE, " + device + ")");
        }
    }

    /** {@code setsockopt(SO_RCVTIMEO)}. */
    public static void receiveTimeout(int fd, long millis) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16);
            tv.set(JAVA_LONG, 0, millis / 1000);
            tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
            setOption(fd, SOL_SOCKET, SO_RCVTIMEO, tv, "setsockopt(SO_RCVTIMEO)");
        }
    }

    /** {@code setsockopt(2)} with a structure given as bytes (for example {@code ipv6_mreq}, {@code icmp6_filter}). */
    public static void setBytesOption(int fd, int level, int option, byte[] value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(value.length);
            v.copyFrom(MemorySegment.ofArray(value));
            setOption(fd, level, option, v, "setsockopt(" + level + ", " + option + ")");
        }
    }

    private static void setOption(int fd, int level, int option, MemorySegment value, String call) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) SETSOCKOPT.invokeExact(st, fd, level, option, value, (int) value.byteSize());
            if (rc != 0) {
                throw failure(call, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(call, t);
        }
    }

    /** Writes a {@code sockaddr_in} for {@code address} (big-endian int) and {@code port}. */
    public static MemorySegment sockaddr(Arena arena, int address, int port) {
        MemorySegment sa = arena.allocate(16);
        sa.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        sa.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        sa.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3, (byte) port);
        for (int i = 0; i < 4; i++) {
            sa.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 4 + i, (byte) (address >>> (24 - 8 * i)));
        }
        return sa;
    }

    /** Writes a {@code sockaddr_in6} for a 16-byte IPv6 {@code address} on interface {@code scopeId} (port 0). */
    public static MemorySegment sockaddrIn6(Arena arena, byte[] address, int scopeId) {
        MemorySegment sa = arena.allocate(SOCKADDR_IN6_SIZE, 4);
        sa.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) AF_INET6);
        MemorySegment.copy(MemorySegment.ofArray(address), 0, sa, 8, 16);
        sa.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 24, scopeId);
        return sa;
    }

    /** Reads the 16 address bytes of a {@code sockaddr_in6}. */
    public static byte[] sockaddrIn6Address(MemorySegment sa) {
        return sa.asSlice(8, 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Reads the scope (interface index) of a {@code sockaddr_in6}. */
    public static int sockaddrIn6Scope(MemorySegment sa) {
        return sa.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 24);
    }

    /** Reads the address of a {@code sockaddr_in} as a big-endian int. */
    public static int sockaddrAddress(MemorySegment sa) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (sa.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 4 + i) & 0xFF);
        }
        return v;
    }

    /** Reads the port of a {@code sockaddr_in}. */
    public static int sockaddrPort(MemorySegment sa) {
        return ((sa.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2) & 0xFF) << 8)
                | (sa.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3) & 0xFF);
    }

    /** {@code bind(2)} to an IPv4 address (big-endian int) and port. */
    public static void bind(int fd, int address, int port) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) BIND.invokeExact(st, fd, sockaddr(a, address, port), 16);
            if (rc != 0) {
                throw failure("bind to port " + port, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("bind", t);
        }
    }

    /** The local port of a bound socket. */
    public static int localPort(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment sa = a.allocate(16);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 16);
            int rc = (int) GETSOCKNAME.invokeExact(st, fd, sa, len);
            if (rc != 0) {
                throw failure("getsockname", errno(st));
            }
            return sockaddrPort(sa);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("getsockname", t);
        }
    }

    /**
     * {@code recvfrom(2)} into {@code buffer}; writes the sender into {@code from} (16 bytes
     * for a {@code sockaddr_in}, {@value #SOCKADDR_IN6_SIZE} for a {@code sockaddr_in6}).
     *
     * @return the datagram length, or -1 on timeout ({@code EAGAIN}) or interruption
     */
    public static long recvfrom(int fd, MemorySegment buffer, MemorySegment from) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, (int) from.byteSize());
            long n = (long) RECVFROM.invokeExact(st, fd, buffer, buffer.byteSize(), 0, from, len);
            if (n < 0) {
                int e = errno(st);
                if (e == EAGAIN || e == EINTR) {
                    return -1;
                }
                throw failure("recvfrom", e);
            }
            return n;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("recvfrom", t);
        }
    }

    /** {@code sendto(2)} of {@code length} bytes of {@code data} to an IPv4 address and port. */
    public static void sendto(int fd, MemorySegment data, long length, int address, int port) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            long n = (long) SENDTO.invokeExact(st, fd, data, length, 0, sockaddr(a, address, port), 16);
            if (n < 0) {
                throw failure("sendto port " + port, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("sendto", t);
        }
    }

    /** {@code sendto(2)} of {@code length} bytes of {@code data} to a socket address already written ({@code sockaddr_in6}). */
    public static void sendto(int fd, MemorySegment data, long length, MemorySegment to) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            long n = (long) SENDTO.invokeExact(st, fd, data, length, 0, to, (int) to.byteSize());
            if (n < 0) {
                throw failure("sendto", errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("sendto", t);
        }
    }

    /** {@code shutdown(2)} then {@code close(2)}, ignoring errors; wakes a thread blocked in {@code recvfrom}. */
    public static void shutdownAndClose(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int ignored = (int) SHUTDOWN.invokeExact(st, fd, SHUT_RDWR);
            ignored = (int) CLOSE.invokeExact(st, fd);
        } catch (Throwable t) {
            // closing is best effort
        }
    }

    /** {@code open(2)} read-only. */
    public static int openReadOnly(String path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw failure("open " + path, errno(st));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("open", t);
        }
    }

    /** {@code close(2)}, ignoring errors. */
    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(a.allocate(CAPTURE), fd);
        } catch (Throwable t) {
            // best effort
        }
    }

    /**
     * Moves the calling (platform) thread into the network namespace at {@code path},
     * for example {@code /var/run/netns/test1}. Sockets it creates afterwards live there.
     */
    public static void enterNetworkNamespace(String path) throws IOException {
        requireLinux("entering a network namespace");
        int fd = openReadOnly(path);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) SETNS.invokeExact(st, fd, CLONE_NEWNET);
            if (rc != 0) {
                throw failure("setns(" + path + ")", errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("setns", t);
        } finally {
            close(fd);
        }
    }

    /**
     * {@code mknod(2)}.
     *
     * @param mode file type bits ({@code S_IFCHR} 0020000, {@code S_IFBLK} 0060000,
     *     {@code S_IFIFO} 0010000, {@code S_IFSOCK} 0140000) or'ed with permissions
     * @param device the device number as {@code makedev} encodes it
     */
    public static void mknod(String path, int mode, long device) throws IOException {
        requireLinux("mknod");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int rc = (int) MKNOD.invokeExact(st, a.allocateFrom(path), mode, device);
            if (rc != 0) {
                throw failure("mknod " + path, errno(st));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("mknod", t);
        }
    }

    /** glibc's {@code makedev(major, minor)}. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    /** glibc's {@code major(dev)}. */
    public static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code minor(dev)}. */
    public static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }
}
