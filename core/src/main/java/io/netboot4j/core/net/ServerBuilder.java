package io.netboot4j.core.net;

import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.core.spi.ServiceContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every embedded server's builder asks alike: where it listens, through which seam it
 * opens its sockets, whom it reports its boot events to, its clock, the head node's budget it
 * admits clients by, and its name. The servers'
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
    private Admission admission;
    private String name;
    private final B self;

    /**
     * A builder whose server listens on {@code defaultPort} of every address and is named
     * {@code defaultName} in logs and thread names.
     *
     * @param type the server's builder class, which this builder is (every setter returns it)
     */
    protected ServerBuilder(int defaultPort, String defaultName, Class<B> type) {
        this.address = new InetSocketAddress(defaultPort);
        this.name = defaultName;
        this.self = type.cast(this);
    }

    private B self() {
        return self;
    }

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

    /**
     * The head node's budget the server admits clients by (a running cluster's
     * {@link ServiceContext#admission()}): known nodes first, sources that are not nodes or
     * that ask too fast refused cheaply, every refusal counted. How a refusal looks on the wire
     * is the server's (see its class description). Default: none, every source is served up
     * to the server's own bounds.
     */
    public B admission(Admission admission) {
        this.admission = Objects.requireNonNull(admission, "admission");
        return self();
    }

    /**
     * The seam, event listener, clock and budget of a provider's {@code context}: what a
     * server started for a running cluster shares with the cluster's other services.
     */
    public B context(ServiceContext context) {
        Objects.requireNonNull(context, "context");
        return network(context.network()).events(context.events()).clock(context.clock()).admission(context.admission());
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

    /** The budget set, if any. */
    protected final Optional<Admission> admission() {
        return Optional.ofNullable(admission);
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
