package io.netboot4j.tftp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the embedded TFTP server, as part of the cluster's description: added with
 * {@code ClusterBuilder.with(TftpSettings...)}, read by the {@code embedded} boot-file
 * provider (found by name, no instance needed); a cluster without it gets
 * {@link #defaults()}. The same shape as {@code DhcpSettings} (see the core package's
 * "one settings record per server").
 *
 * {@snippet :
 * Cluster c = Cluster.builder("lab") // ...
 *     .with(TftpSettings.builder().maxTransfers(256).maxWindowSize(16).build())
 *     .build();
 * }
 *
 * @param retransmitTimeout the first retransmission timeout; default 1 s ({@link TftpServer.Builder#retransmitTimeout})
 * @param maxRetransmitTimeout the cap of the back-off; default 8 s
 * @param sessionTimeout how long a transfer may go without hearing from its client; default 30 s
 * @param maxTransfers the bound on concurrent transfers; default 1024
 * @param maxBlockSize the largest {@code blksize} granted; default {@value TftpServer#MAX_BLOCK_SIZE}
 * @param maxWindowSize the largest {@code windowsize} granted; default 64
 * @param pollBeforeBlocking how long a transfer polls for an ACK before it blocks; default
 *     {@link TftpServer#DEFAULT_POLL_BEFORE_BLOCKING}
 * @param uploads the folder write requests go to, if uploads are accepted; default none
 */
public record TftpSettings(Duration retransmitTimeout, Duration maxRetransmitTimeout, Duration sessionTimeout, int maxTransfers,
                           int maxBlockSize, int maxWindowSize, Duration pollBeforeBlocking, Optional<Path> uploads)
        implements ClusterExtension {

    /**
     * Checks every component as {@link TftpServer.Builder}'s setters do.
     *
     * @throws IllegalArgumentException naming the value and its range
     */
    public TftpSettings {
        applyTo(TftpServer.builder(), retransmitTimeout, maxRetransmitTimeout, sessionTimeout, maxTransfers, maxBlockSize,
                maxWindowSize, pollBeforeBlocking, uploads);
    }

    /** The server's defaults. */
    public static TftpSettings defaults() {
        return new TftpSettings(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30), 1024,
                TftpServer.MAX_BLOCK_SIZE, 64, TftpServer.DEFAULT_POLL_BEFORE_BLOCKING, Optional.empty());
    }

    /** The settings of {@code cluster}, or {@link #defaults()} if it has none. */
    public static TftpSettings of(Cluster cluster) {
        return cluster.extension(TftpSettings.class).orElseGet(TftpSettings::defaults);
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder holding these settings, to change some. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String name() {
        return "tftp";
    }

    /** Sets these settings on a server builder. */
    public TftpServer.Builder applyTo(TftpServer.Builder b) {
        return applyTo(b, retransmitTimeout, maxRetransmitTimeout, sessionTimeout, maxTransfers, maxBlockSize, maxWindowSize,
                pollBeforeBlocking, uploads);
    }

    private static TftpServer.Builder applyTo(TftpServer.Builder b, Duration retransmit, Duration maxRetransmit, Duration session,
                                              int transfers, int blockSize, int windowSize, Duration poll, Optional<Path> uploads) {
        b.retransmitTimeout(retransmit).maxRetransmitTimeout(maxRetransmit).sessionTimeout(session).maxTransfers(transfers)
                .maxBlockSize(blockSize).maxWindowSize(windowSize).pollBeforeBlocking(poll);
        if (uploads == null) {
            throw new IllegalArgumentException("uploads must be a folder or Optional.empty()");
        }
        uploads.ifPresent(b::uploads);
        return b;
    }

    /** Builds {@link TftpSettings}; each setter checks its argument when {@link #build()} makes the record. */
    public static final class Builder {
        private Duration retransmitTimeout;
        private Duration maxRetransmitTimeout;
        private Duration sessionTimeout;
        private int maxTransfers;
        private int maxBlockSize;
        private int maxWindowSize;
        private Duration pollBeforeBlocking;
        private Optional<Path> uploads;

        private Builder(TftpSettings s) {
            retransmitTimeout = s.retransmitTimeout;
            maxRetransmitTimeout = s.maxRetransmitTimeout;
            sessionTimeout = s.sessionTimeout;
            maxTransfers = s.maxTransfers;
            maxBlockSize = s.maxBlockSize;
            maxWindowSize = s.maxWindowSize;
            pollBeforeBlocking = s.pollBeforeBlocking;
            uploads = s.uploads;
        }

        /** See {@link TftpServer.Builder#retransmitTimeout}. */
        public Builder retransmitTimeout(Duration timeout) {
            retransmitTimeout = timeout;
            return this;
        }

        /** See {@link TftpServer.Builder#maxRetransmitTimeout}. */
        public Builder maxRetransmitTimeout(Duration timeout) {
            maxRetransmitTimeout = timeout;
            return this;
        }

        /** See {@link TftpServer.Builder#sessionTimeout}. */
        public Builder sessionTimeout(Duration timeout) {
            sessionTimeout = timeout;
            return this;
        }

        /** See {@link TftpServer.Builder#maxTransfers}. */
        public Builder maxTransfers(int max) {
            maxTransfers = max;
            return this;
        }

        /** See {@link TftpServer.Builder#maxBlockSize}. */
        public Builder maxBlockSize(int max) {
            maxBlockSize = max;
            return this;
        }

        /** See {@link TftpServer.Builder#maxWindowSize}. */
        public Builder maxWindowSize(int max) {
            maxWindowSize = max;
            return this;
        }

        /** See {@link TftpServer.Builder#pollBeforeBlocking}. */
        public Builder pollBeforeBlocking(Duration duration) {
            pollBeforeBlocking = duration;
            return this;
        }

        /** See {@link TftpServer.Builder#uploads}. */
        public Builder uploads(Path folder) {
            uploads = Optional.of(folder);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the first value out of its range
         */
        public TftpSettings build() {
            return new TftpSettings(retransmitTimeout, maxRetransmitTimeout, sessionTimeout, maxTransfers, maxBlockSize,
                    maxWindowSize, pollBeforeBlocking, uploads);
        }
    }
}
