package io.netboot4j.dhcp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterExtension;
import io.netboot4j.core.Hostname;
import io.netboot4j.core.Ipv4;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Kea hot-standby pair (provider {@code kea}): two head nodes run {@code kea-dhcp4} with the
 * same description; the primary answers, the standby takes every lease the primary gives
 * (Kea's {@code libdhcp_ha.so} with {@code libdhcp_lease_cmds.so}) and takes over when the
 * primary stops answering heartbeats. Each head's description differs in {@link #thisServer()}
 * and its network's server address. The peers talk HTTP to each other on
 * {@link #port()}, served by {@code kea-dhcp4} itself (HA's dedicated listener, multi-threaded
 * Kea), so no Kea control agent is needed. The provider's control socket
 * ({@link KeaDhcp#controlSocket()}) takes {@code ha-heartbeat}, {@code status-get} and {@code lease4-get}.
 *
 * {@snippet :
 * KeaHighAvailability ha = KeaHighAvailability.hotStandby("head1", "10.0.0.1", "head2", "10.0.0.2").thisServer("head2");
 * Cluster head2 = Cluster.builder("c").addressAllocation("kea").with(ha) ... .build();
 * }
 *
 * @param primary the primary's name
 * @param primaryAddress the primary's address on the cluster network
 * @param standby the standby's name
 * @param standbyAddress the standby's address
 * @param thisServer which of the two this description runs on
 * @param port the TCP port of each peer's HA listener; default {@value #DEFAULT_PORT}
 * @param hooksFolder where Kea's hook libraries are (Debian's {@code /usr/lib/<triplet>/kea/hooks} if found)
 */
public record KeaHighAvailability(String primary, Inet4Address primaryAddress, String standby, Inet4Address standbyAddress,
                                  String thisServer, int port, Path hooksFolder) implements ClusterExtension {

    /** The default HA listener port (Kea's documentation uses 8000 for the control agent; this is the next free one). */
    public static final int DEFAULT_PORT = 8001;
    /** The HA hook library. */
    public static final String HA_LIBRARY = "libdhcp_ha.so";
    /** The lease commands hook library HA needs. */
    public static final String LEASE_COMMANDS_LIBRARY = "libdhcp_lease_cmds.so";

    /**
     * A hot-standby pair; this description runs on the primary until {@link #thisServer(String)} says otherwise.
     *
     * @throws IllegalArgumentException if a name is not an RFC 1123 label, an address is malformed,
     *     or both names or addresses are the same
     */
    public static KeaHighAvailability hotStandby(String primary, String primaryAddress, String standby, String standbyAddress) {
        for (String n : List.of(primary, standby)) {
            if (n == null || !Hostname.isValid(n) || n.contains(".")) {
                throw new IllegalArgumentException("Kea HA peer name '" + n + "' must be one RFC 1123 label");
            }
        }
        Inet4Address p = Ipv4.parse(primaryAddress);
        Inet4Address s = Ipv4.parse(standbyAddress);
        if (primary.equalsIgnoreCase(standby) || p.equals(s)) {
            throw new IllegalArgumentException("Kea HA peers " + primary + " (" + primaryAddress + ") and " + standby + " ("
                    + standbyAddress + ") must differ in name and address");
        }
        return new KeaHighAvailability(primary, p, standby, s, primary, DEFAULT_PORT, defaultHooksFolder());
    }

    /**
     * The same pair, run on {@code name}.
     *
     * @throws IllegalArgumentException unless {@code name} is the primary's or the standby's
     */
    public KeaHighAvailability thisServer(String name) {
        if (!primary.equals(name) && !standby.equals(name)) {
            throw new IllegalArgumentException("this server '" + name + "' must be " + primary + " or " + standby);
        }
        return new KeaHighAvailability(primary, primaryAddress, standby, standbyAddress, name, port, hooksFolder);
    }

    /**
     * The same pair, with the HA listeners on {@code tcpPort}.
     *
     * @throws IllegalArgumentException if outside 1-65535
     */
    public KeaHighAvailability port(int tcpPort) {
        if (tcpPort < 1 || tcpPort > 65535) {
            throw new IllegalArgumentException("Kea HA port " + tcpPort + " must be 1-65535");
        }
        return new KeaHighAvailability(primary, primaryAddress, standby, standbyAddress, thisServer, tcpPort, hooksFolder);
    }

    /** The same pair, with Kea's hook libraries in {@code folder}. */
    public KeaHighAvailability hooksFolder(Path folder) {
        return new KeaHighAvailability(primary, primaryAddress, standby, standbyAddress, thisServer, port, java.util.Objects.requireNonNull(folder));
    }

    /** The HA configuration of the cluster, if it has one. */
    public static Optional<KeaHighAvailability> of(Cluster cluster) {
        return cluster.extension(KeaHighAvailability.class);
    }

    /** This server's address: the primary's or the standby's. */
    public Inet4Address thisAddress() {
        return thisServer.equals(primary) ? primaryAddress : standbyAddress;
    }

    @Override
    public String name() {
        return "Kea high availability";
    }

    @Override
    public void validate(Cluster cluster, List<String> problems) {
        if (!cluster.network().server().equals(thisAddress())) {
            problems.add("Kea HA: this server " + thisServer + " has address " + Ipv4.format(thisAddress())
                    + ", but the cluster's server address is " + Ipv4.format(cluster.network().server()));
        }
        for (Inet4Address a : List.of(primaryAddress, standbyAddress)) {
            if (!cluster.network().subnet().contains(a)) {
                problems.add("Kea HA peer address " + Ipv4.format(a) + " is outside the subnet " + cluster.network().subnet());
            }
        }
        boolean kea = cluster.providers().addressAllocation().instance().map(p -> p instanceof KeaDhcpProvider).orElse(false)
                || cluster.providers().addressAllocation().name().map(KeaDhcpProvider.NAME::equals).orElse(false);
        if (!kea) {
            problems.add("Kea HA needs the kea address allocation provider: call addressAllocation(\"kea\")");
        }
        for (String lib : List.of(HA_LIBRARY, LEASE_COMMANDS_LIBRARY)) {
            if (!Files.isRegularFile(hooksFolder.resolve(lib))) {
                problems.add("Kea HA: no " + lib + " in " + hooksFolder + " (Debian package kea-dhcp4-server ships it; "
                        + "or give the folder with hooksFolder(..))");
            }
        }
    }

    private static Path defaultHooksFolder() {
        try (Stream<Path> lib = Files.list(Path.of("/usr/lib"))) {
            return Stream.concat(lib.map(p -> p.resolve("kea/hooks")), Stream.of(Path.of("/usr/lib/kea/hooks"), Path.of("/usr/local/lib/kea/hooks")))
                    .filter(p -> Files.isRegularFile(p.resolve(HA_LIBRARY))).findFirst()
                    .orElse(Path.of("/usr/lib/x86_64-linux-gnu/kea/hooks"));
        } catch (java.io.IOException e) {
            return Path.of("/usr/lib/x86_64-linux-gnu/kea/hooks");
        }
    }
}
