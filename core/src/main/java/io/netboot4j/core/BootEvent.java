package io.netboot4j.core;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Something a service did for (or refused to) a node. Services emit events through the
 * {@link BootEventListener} in their context; {@link RunningCluster} folds them into a
 * {@link NodeState} per node and passes them on to its listeners.
 *
 * <p>DHCP events name the client by MAC address; TFTP and NFS events by IPv4 address.
 */
public sealed interface BootEvent {

    /** When it happened. */
    Instant time();

    /** The client's MAC address, when the service knows it. */
    default Optional<MacAddress> mac() {
        return Optional.empty();
    }

    /** The client's IPv4 address, when the service knows it. */
    default Optional<Inet4Address> client() {
        return Optional.empty();
    }

    /** One line for logs and the status table. */
    String describe();

    /** DHCP offered {@code address} to {@code mac}. */
    record AddressOffered(Instant time, MacAddress macAddress, Inet4Address address) implements BootEvent {
        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() { return "offered " + Ipv4.format(address); }
    }

    /**
     * DHCP acknowledged {@code address} for {@code mac}.
     *
     * @param renewal whether the client was renewing an address it already had (ciaddr set)
     */
    record AddressAcknowledged(Instant time, MacAddress macAddress, Inet4Address address, boolean renewal) implements BootEvent {
        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() { return (renewal ? "renewed " : "acknowledged ") + Ipv4.format(address); }
    }

    /** DHCP refused a request of a known client (DHCPNAK). */
    record AddressRefused(Instant time, MacAddress macAddress, Inet4Address requested, String reason) implements BootEvent {
        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public String describe() { return "NAK for " + Ipv4.format(requested) + ": " + reason; }
    }

    /** A client released or declined its address. */
    record AddressReleased(Instant time, MacAddress macAddress, Inet4Address address, boolean declined) implements BootEvent {
        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public String describe() { return (declined ? "declined " : "released ") + Ipv4.format(address); }
    }

    /**
     * A machine that is not a node of the cluster asked for an address and got nothing
     * (the guide's {@code deny unknown-clients}); reported once per MAC so its address can
     * be copied into the cluster description.
     */
    record UnknownClientIgnored(Instant time, MacAddress macAddress, String detail) implements BootEvent {
        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public String describe() { return "ignored unknown client " + macAddress + " (" + detail + ")"; }
    }

    /**
     * A boot file was sent completely.
     *
     * @param protocol how: {@code tftp} or {@code http}
     */
    record FileSent(Instant time, Inet4Address address, String file, long bytes, Duration duration, String protocol)
            implements BootEvent {
        /** A file sent over TFTP. */
        public FileSent(Instant time, Inet4Address address, String file, long bytes, Duration duration) {
            this(time, address, file, bytes, duration, "tftp");
        }

        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() {
            double secs = Math.max(duration.toNanos(), 1) / 1e9;
            return String.format(java.util.Locale.ROOT, "sent %s (%d bytes, %.1f KiB/s%s)", file, bytes, bytes / 1024.0 / secs,
                    protocol.equals("tftp") ? "" : ", " + protocol);
        }
    }

    /**
     * A boot file transfer failed or was refused.
     *
     * @param protocol how it was asked for: {@code tftp} or {@code http}
     */
    record FileFailed(Instant time, Inet4Address address, String file, long bytes, Duration duration, String reason,
                      String protocol) implements BootEvent {
        /** A TFTP transfer that failed. */
        public FileFailed(Instant time, Inet4Address address, String file, long bytes, Duration duration, String reason) {
            this(time, address, file, bytes, duration, reason, "tftp");
        }

        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() {
            return "failed " + file + (protocol.equals("tftp") ? "" : " (" + protocol + ")") + " after " + bytes + " bytes: " + reason;
        }
    }

    /** A client mounted the root filesystem (MOUNT MNT). */
    record RootMounted(Instant time, Inet4Address address, String path) implements BootEvent {
        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() { return "mounted " + path; }
    }

    /** A client unmounted the root filesystem (MOUNT UMNT or UMNTALL). */
    record RootUnmounted(Instant time, Inet4Address address, String path) implements BootEvent {
        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() { return "unmounted " + path; }
    }

    /**
     * The node is up: its root is mounted and its own user space has written to it.
     * The embedded NFS server emits this at a node's first successful change to the root
     * after it mounted it; other services may emit it on their own evidence.
     */
    record NodeUp(Instant time, Inet4Address address, String evidence) implements BootEvent {
        @Override public Optional<Inet4Address> client() { return Optional.of(address); }
        @Override public String describe() { return "up (" + evidence + ")"; }
    }

    /** A service reports a problem that is not tied to one node. */
    record ServiceProblem(Instant time, String service, String message) implements BootEvent {
        @Override public String describe() { return service + ": " + message; }
    }

    /**
     * A service dropped a sustained stream of packets or requests from one source that is
     * not served (junk, an unknown source, a source over its limits); reported once per
     * source while the service runs.
     *
     * @param source the sender's address
     * @param dropped how many were dropped from it when this was reported
     * @param over the time in which they were dropped
     * @param reason why the last one was dropped
     */
    record FloodSuspected(Instant time, String service, java.net.InetAddress source, long dropped, Duration over,
                          String reason) implements BootEvent {
        @Override public Optional<Inet4Address> client() {
            return source instanceof Inet4Address a ? Optional.of(a) : Optional.empty();
        }
        @Override public String describe() {
            return service + ": flood from " + source.getHostAddress() + " (" + dropped + " dropped in "
                    + over.toSeconds() + " s, last: " + reason + ")";
        }
    }

    /**
     * The running cluster applied a changed description ({@code RunningCluster.update}).
     *
     * @param cluster the cluster's name
     * @param added host names of nodes that are new
     * @param removed host names of nodes that are gone
     * @param changed host names of nodes whose MAC, address, kernel arguments or other settings changed
     */
    record ClusterUpdated(Instant time, String cluster, java.util.List<String> added, java.util.List<String> removed,
                          java.util.List<String> changed) implements BootEvent {
        /** Copies the lists. */
        public ClusterUpdated {
            added = java.util.List.copyOf(added);
            removed = java.util.List.copyOf(removed);
            changed = java.util.List.copyOf(changed);
        }

        @Override public String describe() {
            return "cluster " + cluster + " updated: added " + added + ", removed " + removed + ", changed " + changed;
        }
    }

    /**
     * A machine that is not a node PXE-booted while discovery is on ({@link Discovery}): it
     * got a discovery lease and may be adopted with {@code RunningCluster.adopt}. Reported once
     * per machine while its discovery record lives.
     *
     * @param macAddress its hardware address
     * @param address the discovery lease offered to it
     * @param architecture its firmware's client system architecture (DHCP option 93, RFC 4578:
     *     0 BIOS, 7 or 9 x86-64 UEFI, 11 arm64 UEFI), or -1 if it sent none
     * @param vendorClass its vendor class identifier (option 60, for example
     *     {@code PXEClient:Arch:00000:UNDI:002001}), or empty
     * @param guid its client machine identifier (option 97: type 0 and a UUID), in the
     *     UUID text form when it is one, else hexadecimal; or empty
     * @param relay the relay agent it came through (giaddr), if any
     */
    record NodeDiscovered(Instant time, MacAddress macAddress, Inet4Address address, int architecture, String vendorClass,
                          String guid, Optional<Inet4Address> relay) implements BootEvent {
        /** Checks the components. */
        public NodeDiscovered {
            java.util.Objects.requireNonNull(macAddress, "macAddress");
            java.util.Objects.requireNonNull(address, "address");
            vendorClass = vendorClass == null ? "" : vendorClass;
            guid = guid == null ? "" : guid;
            relay = relay == null ? Optional.empty() : relay;
        }

        @Override public Optional<MacAddress> mac() { return Optional.of(macAddress); }
        @Override public String describe() {
            return "discovered " + macAddress + " (offered " + Ipv4.format(address) + ", architecture "
                    + (architecture < 0 ? "not given" : architecture) + (vendorClass.isEmpty() ? "" : ", vendor class " + vendorClass)
                    + (guid.isEmpty() ? "" : ", GUID " + guid) + relay.map(r -> ", via relay " + Ipv4.format(r)).orElse("") + ")";
        }
    }
}
