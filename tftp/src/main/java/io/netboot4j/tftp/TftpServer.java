package io.netboot4j.tftp;

import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.spi.Admission;
import io.netboot4j.tftp.internal.TftpEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An embeddable TFTP server (RFC 1350) with option negotiation (RFC 2347), {@code blksize}
 * (RFC 2348), {@code tsize} and {@code timeout} (RFC 2349) and {@code windowsize} (RFC 7440).
 *
 * <p>Read requests are served from a {@link TftpSource}; names are confined to it as
 * {@code tftpd-hpa -s} confines them. Each transfer runs on its own virtual thread and its
 * own socket (its transfer ID), opened through the {@link NetworkSeam}; the number of
 * concurrent transfers is bounded. Write requests are refused unless an upload folder is
 * set. Every finished or failed read emits a {@link io.netboot4j.core.BootEvent.FileSent}
 * or {@link io.netboot4j.core.BootEvent.FileFailed}.
 *
 * {@snippet :
 * try (TftpServer server = TftpServer.builder()
 *         .source(TftpSource.folder(Path.of("/srv/tftp")))
 *         .address(new InetSocketAddress("127.0.0.1", 0))
 *         .build()) {
 *     server.start();
 *     System.out.println("listening on " + server.localAddress());
 * }
 * }
 */
public final class TftpServer implements AutoCloseable {

    /**
     * How long a transfer polls for the client's next packet before it blocks, by default:
     * 1 ms, or the system property {@code netboot4j.tftp.pollMicros} (microseconds, 0 to 1000000)
     * for servers made by providers.
     */
    public static final Duration DEFAULT_POLL_BEFORE_BLOCKING = defaultPoll();

    private static Duration defaultPoll() {
        long micros = 1000;
        String property = System.getProperty("netboot4j.tftp.pollMicros");
        if (property != null) {
            try {
                micros = Math.clamp(Long.parseLong(property.strip()), 0, 1_000_000);
            } catch (NumberFormatException e) {
                org.slf4j.LoggerFactory.getLogger(TftpServer.class)
                        .warn("netboot4j.tftp.pollMicros={} is not a number of microseconds; using 1000", property);
            }
        }
        return Duration.ofNanos(micros * 1000);
    }

    /** The largest block size RFC 2348 allows. */
    public static final int MAX_BLOCK_SIZE = 65464;

    private final TftpEngine engine;

    private TftpServer(Builder b) {
        this.engine = new TftpEngine(new TftpEngine.Settings(b.source, b.address, b.network, b.events, b.clock,
                b.retransmitTimeout, b.maxRetransmitTimeout, b.sessionTimeout, b.maxTransfers, b.maxBlockSize,
                b.maxWindowSize, Optional.ofNullable(b.uploads), b.name, b.transferThreads, b.pollBeforeBlocking,
                Optional.ofNullable(b.admission)));
    }

    /** Starts describing a server; defaults: port 69 on all addresses, host network, no uploads. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the listening socket and starts serving; returns once it listens.
     *
     * @throws IOException if the socket cannot be opened (port in use, address not local)
     * @throws IllegalStateException if started before, or closed
     */
    public void start() throws IOException {
        engine.start();
    }

    /**
     * The address the server listens on (the real port when 0 was asked).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress localAddress() {
        return engine.localAddress();
    }

    /** The counters since start. */
    public TftpStatistics statistics() {
        return engine.statistics();
    }

    /** Stops listening and ends every running transfer; idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    /** Describes a {@link TftpServer}; each setter checks its argument at once. */
    public static final class Builder {
        private TftpSource source;
        private InetSocketAddress address = new InetSocketAddress(69);
        private NetworkSeam network = NetworkSeam.host();
        private BootEventListener events = e -> { };
        private Clock clock = Clock.systemUTC();
        private Duration retransmitTimeout = Duration.ofSeconds(1);
        private Duration maxRetransmitTimeout = Duration.ofSeconds(8);
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private int maxTransfers = 1024;
        private int maxBlockSize = MAX_BLOCK_SIZE;
        private int maxWindowSize = 64;
        private Path uploads;
        private String name = "tftp";
        private java.util.concurrent.ThreadFactory transferThreads;
        private Duration pollBeforeBlocking = DEFAULT_POLL_BEFORE_BLOCKING;
        private Admission admission;

        private Builder() {
        }

        /** Where files come from (required). */
        public Builder source(TftpSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The address and port to listen on; default {@code 0.0.0.0:69}; port 0 picks a free port. */
        public Builder address(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("address " + address + " is unresolved: give an IP address");
            }
            this.address = address;
            return this;
        }

        /** The seam through which every socket is opened; default the host network. */
        public Builder network(NetworkSeam network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /** Receives a {@code FileSent} or {@code FileFailed} per read transfer; default none. */
        public Builder events(BootEventListener events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The clock for event times and durations; default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The first retransmission timeout, doubled after each timeout up to
         * {@link #maxRetransmitTimeout}; default 1 s. A client's {@code timeout} option
         * replaces it for its transfer.
         *
         * @throws IllegalArgumentException unless between 10 ms and 255 s
         */
        public Builder retransmitTimeout(Duration timeout) {
            check(timeout, Duration.ofMillis(10), Duration.ofSeconds(255), "retransmit timeout");
            this.retransmitTimeout = timeout;
            return this;
        }

        /**
         * The cap of the retransmission back-off; default 8 s.
         *
         * @throws IllegalArgumentException unless between 10 ms and 255 s
         */
        public Builder maxRetransmitTimeout(Duration timeout) {
            check(timeout, Duration.ofMillis(10), Duration.ofSeconds(255), "maximum retransmit timeout");
            this.maxRetransmitTimeout = timeout;
            return this;
        }

        /**
         * How long a transfer may go without hearing from its client before it is ended and
         * its resources freed; default 30 s.
         *
         * @throws IllegalArgumentException unless between 50 ms and 1 hour
         */
        public Builder sessionTimeout(Duration timeout) {
            check(timeout, Duration.ofMillis(50), Duration.ofHours(1), "session timeout");
            this.sessionTimeout = timeout;
            return this;
        }

        /**
         * The bound on concurrent transfers; requests beyond it are dropped (and counted), so
         * the client's own retransmission retries them later; default 1024.
         *
         * @throws IllegalArgumentException unless between 1 and 65536
         */
        public Builder maxTransfers(int max) {
            if (max < 1 || max > 65536) {
                throw new IllegalArgumentException("max transfers " + max + " must be between 1 and 65536");
            }
            this.maxTransfers = max;
            return this;
        }

        /**
         * The largest {@code blksize} granted; larger requests get this; default 65464.
         *
         * @throws IllegalArgumentException unless between 8 and 65464
         */
        public Builder maxBlockSize(int max) {
            if (max < 8 || max > MAX_BLOCK_SIZE) {
                throw new IllegalArgumentException("max block size " + max + " must be between 8 and " + MAX_BLOCK_SIZE);
            }
            this.maxBlockSize = max;
            return this;
        }

        /**
         * The largest {@code windowsize} granted; larger requests get this; default 64.
         *
         * @throws IllegalArgumentException unless between 1 and 65535
         */
        public Builder maxWindowSize(int max) {
            if (max < 1 || max > 65535) {
                throw new IllegalArgumentException("max window size " + max + " must be between 1 and 65535");
            }
            this.maxWindowSize = max;
            return this;
        }

        /**
         * Accepts write requests into {@code folder} (separate from what is served); without
         * it, write requests are refused with "access violation". Existing files are never
         * overwritten; each upload is written to a temporary file and moved into place.
         */
        public Builder uploads(Path folder) {
            this.uploads = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * Where transfers run; default one new virtual thread per transfer. A platform-thread
         * factory ({@code Thread.ofPlatform().daemon().factory()}) costs a kernel thread per
         * transfer; on a host loaded with other work it gets each transfer its own share of the
         * CPUs, which measured faster for a storm of clients (see the module's README and
         * {@code bench/results/tftp-loaded.md}); on a quiet host both measure alike.
         */
        public Builder transferThreads(java.util.concurrent.ThreadFactory factory) {
            this.transferThreads = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * How long a transfer busy-polls its socket for the client's next packet before it
         * blocks; default {@link #DEFAULT_POLL_BEFORE_BLOCKING}; {@link Duration#ZERO} never
         * polls. On a LAN the acknowledgement of a DATA block comes back within tens of
         * microseconds (a window of 16 blocks within a few hundred); catching it while polling
         * saves the wake-ups that blocking costs (an idle CPU waking, a virtual thread's
         * hand-off to the poller and back), which is most of a lock-step transfer's time.
         * Transfers poll only while no more of them run than the machine has spare processors
         * ({@code processors - 1}), so a storm of clients never spins; a transfer whose polls
         * keep missing (a slow client or link) polls less and less often.
         */
        public Builder pollBeforeBlocking(Duration duration) {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("pollBeforeBlocking must be between 0 and 1 s, not " + duration);
            }
            this.pollBeforeBlocking = duration;
            return this;
        }

        /**
         * The head node's budget this server spends from (a running cluster's
         * {@code ServiceContext.admission()}): requests of sources that are not nodes, or
         * faster than their request rate, are dropped before they are decoded; a transfer
         * needs a permit, and a request without one gets no answer (the client retransmits
         * it). Default: none, every source is served up to {@link #maxTransfers(int)}.
         */
        public Builder admission(Admission admission) {
            this.admission = Objects.requireNonNull(admission, "admission");
            return this;
        }

        /** A short name for logs and thread names; default {@code tftp}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        private static void check(Duration d, Duration min, Duration max, String what) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " " + d + " must be between " + min + " and " + max);
            }
        }

        /**
         * Builds the server (not started).
         *
         * @throws IllegalStateException if no source was set
         */
        public TftpServer build() {
            if (source == null) {
                throw new IllegalStateException("no source: call source(TftpSource.folder(path)) or source(TftpSource.of(tree))");
            }
            return new TftpServer(this);
        }
    }
}
