package io.netboot4j.tftp;

import io.netboot4j.core.net.ListeningServer;
import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.core.net.ServerBuilder;
import io.netboot4j.tftp.internal.TftpEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 * <p>With a budget ({@link ServerBuilder#admission}), requests of sources that are not nodes,
 * or faster than their request rate, are dropped before they are decoded; a transfer needs a
 * permit, and a request without one gets no answer (the client retransmits it). Without one,
 * every source is served up to {@link Builder#maxTransfers(int)}.
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
public final class TftpServer extends ListeningServer<TftpEngine> {

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

    private TftpServer(TftpEngine engine) {
        super(engine);
    }

    /** Starts describing a server; defaults: port 69 on all addresses, host network, no uploads. */
    public static Builder builder() {
        return new Builder();
    }

    /** The counters since start. */
    public TftpStatistics statistics() {
        return engine().statistics();
    }

    /** Describes a {@link TftpServer}; each setter checks its argument at once. */
    public static final class Builder extends ServerBuilder<Builder> {
        private TftpSource source;
        private Duration retransmitTimeout = Duration.ofSeconds(1);
        private Duration maxRetransmitTimeout = Duration.ofSeconds(8);
        private Duration sessionTimeout = Duration.ofSeconds(30);
        private int maxTransfers = 1024;
        private int maxBlockSize = MAX_BLOCK_SIZE;
        private int maxWindowSize = 64;
        private Path uploads;
        private java.util.concurrent.ThreadFactory transferThreads;
        private Duration pollBeforeBlocking = DEFAULT_POLL_BEFORE_BLOCKING;

        private Builder() {
            super(69, "tftp", Builder.class);
        }

        /** Where files come from (required). */
        public Builder source(TftpSource source) {
            this.source = Objects.requireNonNull(source, "source");
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
            this.retransmitTimeout = between(timeout, Duration.ofMillis(10), Duration.ofSeconds(255), "retransmit timeout");
            return this;
        }

        /**
         * The cap of the retransmission back-off; default 8 s.
         *
         * @throws IllegalArgumentException unless between 10 ms and 255 s
         */
        public Builder maxRetransmitTimeout(Duration timeout) {
            this.maxRetransmitTimeout = between(timeout, Duration.ofMillis(10), Duration.ofSeconds(255), "maximum retransmit timeout");
            return this;
        }

        /**
         * How long a transfer may go without hearing from its client before it is ended and
         * its resources freed; default 30 s.
         *
         * @throws IllegalArgumentException unless between 50 ms and 1 hour
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = between(timeout, Duration.ofMillis(50), Duration.ofHours(1), "session timeout");
            return this;
        }

        /**
         * The bound on concurrent transfers; requests beyond it are dropped (and counted), so
         * the client's own retransmission retries them later; default 1024.
         *
         * @throws IllegalArgumentException unless between 1 and 65536
         */
        public Builder maxTransfers(int max) {
            this.maxTransfers = between(max, 1, 65536, "max transfers");
            return this;
        }

        /**
         * The largest {@code blksize} granted; larger requests get this; default 65464.
         *
         * @throws IllegalArgumentException unless between 8 and 65464
         */
        public Builder maxBlockSize(int max) {
            this.maxBlockSize = between(max, 8, MAX_BLOCK_SIZE, "max block size");
            return this;
        }

        /**
         * The largest {@code windowsize} granted; larger requests get this; default 64.
         *
         * @throws IllegalArgumentException unless between 1 and 65535
         */
        public Builder maxWindowSize(int max) {
            this.maxWindowSize = between(max, 1, 65535, "max window size");
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
         * Builds the server (not started).
         *
         * @throws IllegalStateException if no source was set
         */
        public TftpServer build() {
            if (source == null) {
                throw new IllegalStateException("no source: call source(TftpSource.folder(path)) or source(TftpSource.of(tree))");
            }
            return new TftpServer(new TftpEngine(new TftpEngine.Settings(source, address(), network(), events(), clock(),
                    retransmitTimeout, maxRetransmitTimeout, sessionTimeout, maxTransfers, maxBlockSize, maxWindowSize,
                    Optional.ofNullable(uploads), name(), transferThreads, pollBeforeBlocking, admission())));
        }
    }
}
