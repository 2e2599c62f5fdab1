package io.netboot4j.testkit;

import io.netboot4j.core.net.NetworkSeam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux network namespace made for a test, with helpers for bridges, taps and veth
 * pairs, and a {@link #seam()} through which in-process servers open their sockets
 * inside it. Deleted (with everything in it) on {@link #close()}.
 *
 * <p>Needs root and {@code ip} from Debian's {@code iproute2}; check {@link #available()}
 * first.
 *
 * {@snippet :
 * try (NetworkNamespace ns = NetworkNamespace.create("nb-test")) {
 *     ns.addBridge("br0", "10.99.0.1/24");
 *     Cluster c = Cluster.builder("t").networkSeam(ns.seam()) // ...
 *             .build();
 * }
 * }
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespace.class);

    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private NamespaceSeam seam;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Whether namespaces can be made here: root, and {@code ip} installed. */
    public static boolean available() {
        return Commands.isRoot() && Commands.exists("ip");
    }

    /** Why {@link #available()} is false, for an assumption message; empty if it is true. */
    public static String unavailableReason() {
        if (!Commands.isRoot()) {
            return "network namespaces need root";
        }
        if (!Commands.exists("ip")) {
            return "network namespaces need 'ip' from the Debian package iproute2";
        }
        return "";
    }

    /**
     * Creates a namespace named {@code prefix-<random>} with its loopback up.
     *
     * @param prefix a short prefix naming the test, for example {@code nb-dhcp}
     */
    public static NetworkNamespace create(String prefix) {
        String n = prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        Commands.run("ip", "netns", "add", n).check();
        NetworkNamespace ns = new NetworkNamespace(n);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        LOG.debug("created network namespace {}", n);
        return ns;
    }

    /** The namespace's name, as {@code ip netns} lists it. */
    public String name() {
        return name;
    }

    /** Runs {@code ip -n <name> <args>} and checks it succeeded. */
    public CommandResult ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(30), cmd).check();
    }

    /** Runs a command inside the namespace and waits for it (deadline {@code timeout}). */
    public CommandResult exec(Duration timeout, String... command) {
        return Commands.run(timeout, wrap(command));
    }

    /** Runs a command inside the namespace with a one-minute deadline. */
    public CommandResult exec(String... command) {
        return exec(Duration.ofMinutes(1), command);
    }

    /** Starts a command inside the namespace in the background; output goes to {@code log}. */
    public Process start(java.nio.file.Path log, String... command) {
        try {
            return new ProcessBuilder(wrap(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot start " + String.join(" ", command) + " in " + name, e);
        }
    }

    /** The command line that runs {@code command} inside this namespace. */
    public List<String> wrap(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /**
     * Adds a bridge with an address, up.
     *
     * @param bridge its name, for example {@code br0}
     * @param cidr the head's address with prefix, for example {@code 10.99.0.1/24}
     */
    public void addBridge(String bridge, String cidr) {
        ip("link", "add", bridge, "type", "bridge");
        ip("addr", "add", cidr, "dev", bridge);
        ip("link", "set", bridge, "up");
    }

    /** Adds a tap device (for a QEMU node), attached to {@code bridge} when not null, up. */
    public void addTap(String tap, String bridge) {
        ip("tuntap", "add", "dev", tap, "mode", "tap");
        if (bridge != null) {
            ip("link", "set", tap, "master", bridge);
        }
        ip("link", "set", tap, "up");
    }

    /**
     * Adds a veth pair; {@code inside} stays in this namespace (attached to {@code bridge}
     * when not null), {@code peer} goes to namespace {@code peerNamespace} (this one when null). Both up.
     */
    public void addVeth(String inside, String peer, String bridge, NetworkNamespace peerNamespace) {
        ip("link", "add", inside, "type", "veth", "peer", "name", peer);
        if (peerNamespace != null && peerNamespace != this) {
            ip("link", "set", peer, "netns", peerNamespace.name());
            peerNamespace.ip("link", "set", peer, "up");
        } else {
            ip("link", "set", peer, "up");
        }
        if (bridge != null) {
            ip("link", "set", inside, "master", bridge);
        }
        ip("link", "set", inside, "up");
    }

    /**
     * The seam whose sockets live in this namespace: they are created on a platform thread
     * that entered it with {@code setns(2)}, and work from any thread afterwards.
     */
    public synchronized NetworkSeam seam() {
        if (closed.get()) {
            throw new IllegalStateException("namespace " + name + " is closed");
        }
        if (seam == null) {
            seam = new NamespaceSeam(name);
        }
        return seam;
    }

    /** Deletes the namespace and everything in it; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            if (seam != null) {
                seam.close();
            }
        }
        CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("ip", "netns", "del", name));
        if (!r.ok()) {
            LOG.warn("could not delete network namespace {}: {}", name, r.output());
        }
    }
}
