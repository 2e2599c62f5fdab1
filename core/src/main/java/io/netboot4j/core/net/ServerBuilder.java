package io.netboot4j.core.net;

import io.netboot4j.core.BootEventListener;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What every embedded server's builder asks alike: where it listens, through which seam it
 * opens its sockets, whom it reports its boot events to, its clock and its name. The servers'
 * own builders ({@code TftpServer.Builder}, {@code HttpBootServer.Builder}) extend it with
 * their own settings; each setter checks its argument at once.
 *
 * @param <B> the server's builder, which every setter returns
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {

    private InetSocketAddress address;
    private NetworkSeam network = NetworkSeam.host();
    private BootEventListener events = e -> { };
    private Clock clock = Clock.systemUTC();
    private String name;

    /**
     * A builder whose server listens on {@code defaultPort} of every address and is named
     * {@code defaultName} in logs and thread names.
     */
    protected ServerBuilder(int defaultPort, String defaultName) {
        this.address = new InetSocketAddress(defaultPort);
        this.name = defaultName;
    }

    /** This builder, as the server's builder type. */
    protected abstract B self();

    /**
     * The address and port to listen on; default every address on the server's port (69 for
     * TFTP, 80 for HTTP); port 0 picks a free port.
     *
     * @throws IllegalArgumentException if the address is unresolved
     */
    public B address(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved: give an IP address");
        }
        this.address = address;
        return self();
    }

    /** The seam through which every socket of the server is opened; default the host network. */
    public B network(NetworkSeam network) {
        this.network = Objects.requireNonNull(network, "network");
        return self();
    }

    /** Receives a {@code FileSent} or {@code FileFailed} per file the server sends; default none. */
    public B events(BootEventListener events) {
        this.events = Objects.requireNonNull(events, "events");
        return self();
    }

    /** The clock for event times, durations and dates; default the system clock. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * A short name for logs and thread names; default the protocol ({@code tftp}, {@code http}).
     *
     * @throws IllegalArgumentException if blank
     */
    public B name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        return self();
    }

    /** The address set. */
    protected final InetSocketAddress address() {
        return address;
    }

    /** The seam set. */
    protected final NetworkSeam network() {
        return network;
    }

    /** The event listener set. */
    protected final BootEventListener events() {
        return events;
    }

    /** The clock set. */
    protected final Clock clock() {
        return clock;
    }

    /** The name set. */
    protected final String name() {
        return name;
    }

    /**
     * {@code value}, checked to be between {@code min} and {@code max}.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    protected static int between(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * {@code value}, checked to be between {@code min} and {@code max}.
     *
     * @throws IllegalArgumentException naming {@code what} otherwise
     */
    protected static Duration between(Duration value, Duration min, Duration max, String what) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " " + value + " must be between " + min + " and " + max);
        }
        return value;
    }
}
