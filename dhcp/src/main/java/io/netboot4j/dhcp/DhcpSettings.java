package io.netboot4j.dhcp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterExtension;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.Ipv4Network;
import io.netboot4j.core.Network;
import io.netboot4j.core.Node;
import io.netboot4j.core.RelayedSubnet;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DHCP policy of a cluster beyond what {@link io.netboot4j.core.Network} says: lease
 * times, BOOTP, and an optional dynamic pool for machines that are not nodes. Added to a
 * cluster with {@code ClusterBuilder.with(DhcpSettings...)}; a cluster without it gets
 * {@link #defaults()}, which is the guide's policy ({@code deny unknown-clients},
 * {@code deny bootp}).
 *
 * {@snippet :
 * Cluster c = Cluster.builder("lab") // ...
 *     .with(DhcpSettings.builder().leaseTime(Duration.ofHours(1)).dynamicPool("10.0.0.200", "10.0.0.250").build())
 *     .build();
 * }
 *
 * @param leaseTime how long an address is leased (option 51); default 12 hours, as ISC dhcpd's
 *     {@code default-lease-time}
 * @param allowBootp whether plain BOOTP requests (no DHCP magic cookie) of nodes are answered;
 *     default no (the guide's {@code deny bootp})
 * @param poolFirst first address of the (first) dynamic pool, if the cluster answers unknown clients
 * @param poolLast last address of the (first) dynamic pool
 * @param routerAdvertisements whether the embedded server answers IPv6 Router Solicitations on
 *     the cluster interface with "no default router here" (router lifetime 0, no prefix), which
 *     ends iPXE's wait for IPv6 autoconfiguration; default yes, except in proxyDHCP mode (see
 *     {@code dhcp/README.md})
 * @param proxyDhcp whether the embedded server is a proxyDHCP server (PXE 2.1, RFC 4578): another
 *     DHCP server on the link gives the addresses, this one only boot information to the nodes'
 *     PXE clients, on port 67 and the boot server port; default no
 * @param bootServerPort the PXE boot server port the proxyDHCP server also answers on; default
 *     {@value #PXE_BOOT_SERVER_PORT} (0 picks a free port, for tests)
 * @param morePools further dynamic pools, on other subnets than the first (relayed subnets have
 *     theirs); default none
 */
public record DhcpSettings(Duration leaseTime, boolean allowBootp, Optional<Inet4Address> poolFirst,
                           Optional<Inet4Address> poolLast, boolean routerAdvertisements, boolean proxyDhcp,
                           int bootServerPort, List<Pool> morePools) implements ClusterExtension {

    /**
     * A range of addresses for machines that are not nodes.
     *
     * @param first its first address
     * @param last its last address
     */
    public record Pool(Inet4Address first, Inet4Address last) {

        /** The range as {@code first-last}. */
        @Override
        public String toString() {
            return Ipv4.format(first) + "-" + Ipv4.format(last);
        }
    }

    /** The PXE boot server port (PXE 2.1 specification): 4011. */
    public static final int PXE_BOOT_SERVER_PORT = 4011;

    /** The default lease time: 12 hours. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofHours(12);

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the lease time is shorter than a minute or longer than
     *     a year, or only one end of the pool is given, or the pool is reversed, or the boot server
     *     port is outside 0-65535
     */
    public DhcpSettings {
        if (bootServerPort < 0 || bootServerPort > 65535) {
            throw new IllegalArgumentException("boot server port " + bootServerPort + " is outside 0-65535");
        }
        if (leaseTime == null || leaseTime.compareTo(Duration.ofMinutes(1)) < 0 || leaseTime.compareTo(Duration.ofDays(365)) > 0) {
            throw new IllegalArgumentException("lease time " + leaseTime + " must be between one minute and one year");
        }
        if (poolFirst == null || poolLast == null || poolFirst.isPresent() != poolLast.isPresent()) {
            throw new IllegalArgumentException("a dynamic pool needs both its first and its last address");
        }
        if (poolFirst.isPresent() && Integer.compareUnsigned(Ipv4.toInt(poolFirst.get()), Ipv4.toInt(poolLast.get())) > 0) {
            throw new IllegalArgumentException("dynamic pool " + Ipv4.format(poolFirst.get()) + "-" + Ipv4.format(poolLast.get())
                    + " is reversed: the first address must not be above the last");
        }
        morePools = morePools == null ? List.of() : List.copyOf(morePools);
        if (!morePools.isEmpty() && poolFirst.isEmpty()) {
            throw new IllegalArgumentException("further dynamic pools need a first one");
        }
        for (Pool p : morePools) {
            if (Integer.compareUnsigned(Ipv4.toInt(p.first()), Ipv4.toInt(p.last())) > 0) {
                throw new IllegalArgumentException("dynamic pool " + p + " is reversed: the first address must not be above the last");
            }
        }
    }

    /** Settings with one pool at most. */
    public DhcpSettings(Duration leaseTime, boolean allowBootp, Optional<Inet4Address> poolFirst, Optional<Inet4Address> poolLast,
                        boolean routerAdvertisements, boolean proxyDhcp, int bootServerPort) {
        this(leaseTime, allowBootp, poolFirst, poolLast, routerAdvertisements, proxyDhcp, bootServerPort, List.of());
    }

    /** Every dynamic pool: the first, then {@link #morePools()}; empty if unknown clients are denied. */
    public List<Pool> pools() {
        List<Pool> all = new java.util.ArrayList<>();
        poolFirst.ifPresent(f -> all.add(new Pool(f, poolLast.get())));
        all.addAll(morePools);
        return all;
    }

    /**
     * Settings with router advertisements on (the default).
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public DhcpSettings(Duration leaseTime, boolean allowBootp, Optional<Inet4Address> poolFirst, Optional<Inet4Address> poolLast) {
        this(leaseTime, allowBootp, poolFirst, poolLast, true, false, PXE_BOOT_SERVER_PORT);
    }

    /** The guide's policy: 12-hour leases, no BOOTP, nodes only; router advertisements on. */
    public static DhcpSettings defaults() {
        return new DhcpSettings(DEFAULT_LEASE_TIME, false, Optional.empty(), Optional.empty());
    }

    /** The settings of {@code cluster}, or {@link #defaults()} if it has none. */
    public static DhcpSettings of(Cluster cluster) {
        return cluster.extension(DhcpSettings.class).orElseGet(DhcpSettings::defaults);
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether machines that are not nodes get addresses from the dynamic pool (the opposite of {@code deny unknown-clients}). */
    public boolean allowsUnknownClients() {
        return poolFirst.isPresent();
    }

    /** T1, the renewal time (option 58): half the lease time, as RFC 2131 section 4.4.5 suggests. */
    public Duration renewalTime() {
        return leaseTime.dividedBy(2);
    }

    /** T2, the rebinding time (option 59): seven eighths of the lease time (RFC 2131 section 4.4.5). */
    public Duration rebindingTime() {
        return leaseTime.multipliedBy(7).dividedBy(8);
    }

    @Override
    public String name() {
        return "dhcp";
    }

    /**
     * The subnet of {@code network} the dynamic pool lies on: the attached one or a relayed one
     * (its unknown clients then ask through that subnet's relays); empty without a pool or if
     * its first address is on none.
     */
    public Optional<Ipv4Network> poolSubnet(Network network) {
        return pools().stream().findFirst().flatMap(p -> subnetOf(p, network));
    }

    /** The subnet of {@code network} that {@code pool} starts in, if any. */
    public static Optional<Ipv4Network> subnetOf(Pool pool, Network network) {
        return Stream.concat(Stream.of(network.subnet()), network.relayedSubnets().stream().map(RelayedSubnet::subnet))
                .filter(s -> s.contains(pool.first())).findFirst();
    }

    @Override
    public void validate(Cluster cluster, List<String> problems) {
        if (proxyDhcp) {
            if (poolFirst.isPresent()) {
                problems.add("proxyDHCP mode gives no addresses: drop the dynamic pool (the site's DHCP server has the pool)");
            }
            var choice = cluster.providers().addressAllocation();
            boolean embedded = choice.instance().map(p -> p instanceof EmbeddedDhcpProvider).orElse(true)
                    && choice.name().map(EmbeddedDhcpProvider.NAME::equals).orElse(true);
            if (!embedded) {
                problems.add("proxyDHCP mode is served by the embedded DHCP provider only, not by " + choice
                        + " (ISC dhcpd and Kea have no proxyDHCP mode)");
            }
        }
        cluster.extension(io.netboot4j.core.Discovery.class).ifPresent(d -> {
            if (proxyDhcp) {
                problems.add("proxyDHCP mode gives no addresses, so it cannot serve discovery: drop one of them");
            } else if (poolFirst.isPresent() && d.poolContains(poolLast.get()) | d.poolContains(poolFirst.get())
                    | contains(d.poolFirst()) | contains(d.poolLast())) {
                problems.add("the dynamic pool " + Ipv4.format(poolFirst.get()) + "-" + Ipv4.format(poolLast.get())
                        + " and the discovery pool " + Ipv4.format(d.poolFirst()) + "-" + Ipv4.format(d.poolLast()) + " overlap");
            }
        });
        List<Ipv4Network> used = new java.util.ArrayList<>();
        for (Pool p : pools()) {
            validatePool(p, cluster, used, problems);
        }
    }

    private static void validatePool(Pool p, Cluster cluster, List<Ipv4Network> used, List<String> problems) {
        Inet4Address first = p.first();
        Inet4Address last = p.last();
        String range = p.toString();
        var subnet = subnetOf(p, cluster.network());
        if (subnet.isEmpty() || !subnet.get().contains(last)) {
            problems.add("dynamic pool " + range + " is not inside the subnet " + cluster.network().subnet()
                    + cluster.network().relayedSubnets().stream().map(r -> " or " + r.subnet()).collect(Collectors.joining()));
            return;
        }
        if (used.contains(subnet.get())) {
            problems.add("dynamic pool " + range + " is the second pool on subnet " + subnet.get() + ": one pool per subnet");
        }
        used.add(subnet.get());
        if (subnet.get().prefixLength() < 31 && (first.equals(subnet.get().network()) || last.equals(subnet.get().broadcast()))) {
            problems.add("dynamic pool " + range + " contains the network or broadcast address of " + subnet.get());
        }
        int lo = Ipv4.toInt(first);
        int hi = Ipv4.toInt(last);
        for (Node n : cluster.nodes()) {
            int a = Ipv4.toInt(n.address());
            if (Integer.compareUnsigned(a, lo) >= 0 && Integer.compareUnsigned(a, hi) <= 0) {
                problems.add("dynamic pool " + range + " contains the address " + Ipv4.format(n.address()) + " of node "
                        + n.hostname() + ": move the pool or the node");
            }
        }
        long usable = Integer.toUnsignedLong(hi) - Integer.toUnsignedLong(lo) + 1;
        if (usable > 65536) {
            problems.add("dynamic pool " + range + " has " + usable + " addresses; at most 65536 are supported");
        }
    }

    private boolean contains(Inet4Address a) {
        return poolFirst.isPresent() && Integer.compareUnsigned(Ipv4.toInt(a), Ipv4.toInt(poolFirst.get())) >= 0
                && Integer.compareUnsigned(Ipv4.toInt(a), Ipv4.toInt(poolLast.get())) <= 0;
    }

    /** Builds {@link DhcpSettings}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private boolean bootp;
        private Inet4Address first;
        private Inet4Address last;
        private Boolean routerAdvertisements;
        private boolean proxyDhcp;
        private int bootServerPort = PXE_BOOT_SERVER_PORT;
        private final List<Pool> more = new java.util.ArrayList<>();

        Builder() {
        }

        /**
         * The lease time (option 51); T1 and T2 are derived from it.
         *
         * @throws IllegalArgumentException if it is shorter than a minute or longer than a year
         */
        public Builder leaseTime(Duration time) {
            new DhcpSettings(time, false, Optional.empty(), Optional.empty());
            this.leaseTime = time;
            return this;
        }

        /** Answers plain BOOTP requests of nodes (default: ignored, as the guide's {@code deny bootp}). */
        public Builder allowBootp() {
            this.bootp = true;
            return this;
        }

        /**
         * Gives machines that are not nodes addresses from {@code first}..{@code last}
         * (inclusive). Called again, adds a pool on another subnet (a relayed one): a machine
         * gets an address of the pool on the subnet it asks from. Each pool must lie in one
         * subnet of the cluster, one pool per subnet, and hold no node's address;
         * {@link io.netboot4j.core.ClusterBuilder#build()} checks that.
         *
         * @throws IllegalArgumentException if an address is malformed or the range is reversed
         */
        public Builder dynamicPool(String first, String last) {
            return dynamicPool(Ipv4.parse(first), Ipv4.parse(last));
        }

        /**
         * Gives machines that are not nodes addresses from {@code first}..{@code last}.
         *
         * @throws IllegalArgumentException if the range is reversed or an end is null
         */
        public Builder dynamicPool(Inet4Address first, Inet4Address last) {
            if (first == null || last == null) {
                throw new IllegalArgumentException("dynamic pool addresses must not be null");
            }
            new DhcpSettings(DEFAULT_LEASE_TIME, false, Optional.of(first), Optional.of(last));
            if (this.first == null) {
                this.first = first;
                this.last = last;
            } else {
                more.add(new Pool(first, last));
            }
            return this;
        }

        /**
         * Whether the embedded server answers IPv6 Router Solicitations on the cluster interface
         * (router lifetime 0, no prefix, no M/O flags: "no default router, nothing to configure
         * here"), which spares iPXE its wait for IPv6 autoconfiguration. Default {@code true},
         * and {@code false} in {@link #proxyDhcp()} mode (the link is the site's); turn it off on a
         * link where a real IPv6 router lives and hosts should hear only it.
         */
        public Builder routerAdvertisements(boolean answer) {
            this.routerAdvertisements = answer;
            return this;
        }

        /**
         * Makes the embedded server a proxyDHCP server (PXE 2.1 specification, RFC 4578) for a
         * link where another DHCP server gives the addresses: it answers only the nodes' PXE
         * clients (vendor class {@code PXEClient}), with boot information and no address, on
         * port 67 and on the boot server port 4011, and learns each node's address from its
         * requests. {@code build()} rejects it together with a dynamic pool or another provider
         * than {@code embedded}.
         */
        public Builder proxyDhcp() {
            return proxyDhcp(PXE_BOOT_SERVER_PORT);
        }

        /**
         * Like {@link #proxyDhcp()}, answering boot server requests on {@code bootServerPort}
         * instead of 4011 (0: a free port, for tests).
         *
         * @throws IllegalArgumentException if the port is outside 0-65535
         */
        public Builder proxyDhcp(int bootServerPort) {
            new DhcpSettings(DEFAULT_LEASE_TIME, false, Optional.empty(), Optional.empty(), false, true, bootServerPort);
            this.proxyDhcp = true;
            this.bootServerPort = bootServerPort;
            return this;
        }

        /** The settings. */
        public DhcpSettings build() {
            return new DhcpSettings(leaseTime, bootp, Optional.ofNullable(first), Optional.ofNullable(last),
                    routerAdvertisements != null ? routerAdvertisements : !proxyDhcp, proxyDhcp, bootServerPort, more);
        }
    }
}
