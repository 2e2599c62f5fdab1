package io.netboot4j.kerrighed;

import io.netboot4j.core.net.NetworkSeam;
import io.netboot4j.kerrighed.internal.TailOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands on a node over SSH, with the Apache MINA SSHD client: one connection,
 * one exec channel per command. Made by {@link #to(String)}; close it to disconnect.
 *
 * {@snippet :
 * try (SshCommandRunner node = SshCommandRunner.to("192.168.1.101").user("root")
 *         .password("secret").open()) {
 *     KerrighedAdmin admin = new KerrighedAdmin(node);
 *     System.out.println(admin.nodes());
 * }
 * }
 *
 * <p>Each command runs as {@code cd <folder> && exec env NAME=value <command>} in the
 * account's login shell; its standard input is empty. Passwords are never logged.
 *
 * <p>Host keys: {@link Builder#hostKey(PublicKey)} or {@link Builder#knownHosts(Path)}
 * check the node's key; without either, any key is accepted and a warning is logged
 * (like OpenSSH's {@code StrictHostKeyChecking=no}), since diskless nodes often come
 * back with new keys.
 */
public final class SshCommandRunner implements CommandRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SshCommandRunner.class);

    private final SshClient client;
    private final ClientSession session;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SshCommandRunner(SshClient client, ClientSession session, String where) {
        this.client = client;
        this.session = session;
        this.where = where;
    }

    /**
     * Starts describing a connection to {@code host}.
     *
     * @param host a host name or address
     * @throws IllegalArgumentException if it is empty
     */
    public static Builder to(String host) {
        return new Builder(host);
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException(where + " is closed");
        }
        TailOutputStream out = new TailOutputStream(CommandResult.KEPT_CHARACTERS);
        TailOutputStream err = new TailOutputStream(CommandResult.KEPT_CHARACTERS);
        LOG.debug("running {} ({})", command, where);
        try (ChannelExec channel = session.createExecChannel(command.shellScript())) {
            channel.setIn(new ByteArrayInputStream(new byte[0]));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(command.timeout());
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), command.timeout());
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while " + command + " ran on " + where);
            }
            int exit;
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                LOG.warn("{} ({}) ran longer than {}; closing its channel", command, where, command.timeout());
                exit = -1;
            } else {
                Integer status = channel.getExitStatus();
                if (status == null) {
                    String signal = channel.getExitSignal();
                    throw new IOException("the SSH server sent no exit status for " + command + " on " + where
                            + (signal == null ? "" : " (it ended by signal " + signal + ")"));
                }
                exit = status;
            }
            return new CommandResult(command, where, exit, out.text(), err.text());
        }
    }

    @Override
    public String describe() {
        return where;
    }

    /** Disconnects; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close();
            } finally {
                client.stop();
            }
        }
    }

    @Override
    public String toString() {
        return where;
    }

    /** Describes an SSH connection; {@link #open()} connects. Never prints its password. */
    public static final class Builder {
        private final String host;
        private int port = 22;
        private String user = "root";
        private char[] password;
        private final List<KeyPair> keys = new ArrayList<>();
        private final List<Path> identityFiles = new ArrayList<>();
        private PublicKey hostKey;
        private Path knownHosts;
        private Duration timeout = Duration.ofSeconds(30);
        private NetworkSeam seam = NetworkSeam.host();

        private Builder(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("SSH host must not be empty");
            }
            this.host = host.strip();
        }

        /** The SSH port; default 22. @throws IllegalArgumentException unless 1–65535 */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("SSH port " + port + " is outside 1–65535");
            }
            this.port = port;
            return this;
        }

        /** The account; default {@code root}. */
        public Builder user(String user) {
            if (user == null || user.isBlank() || user.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("SSH user '" + user + "' must be a non-empty name without spaces");
            }
            this.user = user;
            return this;
        }

        /** Authenticates with this password (kept in memory only until {@link #open()}). */
        public Builder password(String password) {
            if (password == null) {
                throw new IllegalArgumentException("SSH password must not be null");
            }
            this.password = password.toCharArray();
            return this;
        }

        /** Authenticates with this key pair. */
        public Builder key(KeyPair key) {
            if (key == null) {
                throw new IllegalArgumentException("SSH key must not be null");
            }
            keys.add(key);
            return this;
        }

        /** Authenticates with the private key in this file (OpenSSH or PEM format, without passphrase). */
        public Builder identityFile(Path file) {
            if (file == null || !Files.isReadable(file)) {
                throw new IllegalArgumentException("SSH identity file " + file + " is not readable");
            }
            identityFiles.add(file);
            return this;
        }

        /** Accepts only this host key. */
        public Builder hostKey(PublicKey key) {
            if (key == null) {
                throw new IllegalArgumentException("host key must not be null");
            }
            this.hostKey = key;
            return this;
        }

        /** Accepts only host keys listed for the host in this OpenSSH {@code known_hosts} file. */
        public Builder knownHosts(Path file) {
            if (file == null) {
                throw new IllegalArgumentException("known_hosts file must not be null");
            }
            this.knownHosts = file;
            return this;
        }

        /** Time limit for connecting and authenticating; default 30 seconds. */
        public Builder timeout(Duration limit) {
            if (limit == null || limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("SSH timeout " + limit + " must be positive");
            }
            this.timeout = limit;
            return this;
        }

        /** Where the connection's socket is opened; default the host network. */
        public Builder networkSeam(NetworkSeam seam) {
            if (seam == null) {
                throw new IllegalArgumentException("network seam must not be null");
            }
            this.seam = seam;
            return this;
        }

        /**
         * Connects and authenticates.
         *
         * @throws IllegalStateException if neither a password nor a key was given
         * @throws IOException naming the host if connecting or authenticating fails
         */
        public SshCommandRunner open() throws IOException {
            if (password == null && keys.isEmpty() && identityFiles.isEmpty()) {
                throw new IllegalStateException("no SSH credentials: give password(..), key(..) or identityFile(..)");
            }
            String where = "ssh " + user + "@" + host + ":" + port;
            SshClient client = SshClient.setUpDefaultClient();
            if (hostKey != null) {
                client.setServerKeyVerifier(new RequiredServerKeyVerifier(hostKey));
            } else if (knownHosts != null) {
                client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
            } else {
                LOG.warn("{}: accepting any host key; give hostKey(..) or knownHosts(..) to check it", where);
                client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            }
            if (!identityFiles.isEmpty()) {
                client.setKeyIdentityProvider(new FileKeyPairProvider(identityFiles));
            }
            client.start();
            ClientSession session = null;
            try {
                session = seam.call(() -> client.connect(user, host, port).verify(timeout).getSession());
                if (password != null) {
                    session.addPasswordIdentity(new String(password));
                }
                for (KeyPair k : keys) {
                    session.addPublicKeyIdentity(k);
                }
                session.auth().verify(timeout);
                return new SshCommandRunner(client, session, where);
            } catch (Exception e) {
                if (session != null) {
                    session.close(true);
                }
                client.stop();
                throw new IOException(where + ": cannot connect and authenticate: " + e.getMessage(), e);
            } finally {
                if (password != null) {
                    java.util.Arrays.fill(password, '\0');
                    password = null;
                }
            }
        }

        @Override
        public String toString() {
            return "ssh " + user + "@" + host + ":" + port + (password != null ? " (password)" : "")
                    + (keys.isEmpty() && identityFiles.isEmpty() ? "" : " (key)");
        }
    }
}
