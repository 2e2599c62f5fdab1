package io.netboot4j.core;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashSet;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Discovery mode (opt-in): a machine that is not a node and PXE-boots gets a short lease
 * from the discovery pool, and the running cluster reports it as a
 * {@link BootEvent.NodeDiscovered} (MAC, firmware architecture, vendor class, GUID, relay)
 * and keeps a record of it ({@link RunningCluster#discovered()}), so it can be adopted
 * ({@link RunningCluster#adopt(MacAddress)}) instead of having its MAC typed in.
 *
 * <p>The discovery boot is "the event and a wait": the lease names no boot file, so the
 * machine's firmware reports that there is nothing to boot and waits (as pixiecore does for
 * machines its booter does not know, and Warewulf for nodes not in its database); once
 * adopted, its next boot (a power cycle) is a node's boot. Nothing is loaded by a machine
 * nobody asked for, and the head's budget keeps refusing unknown sources on TFTP, HTTP and
 * NFS.
 *
 * {@snippet :
 * Cluster c = Cluster.builder("lab") // ...
 *     .with(Discovery.builder().pool("10.0.0.200", "10.0.0.219").names("node%02d").build())
 *     .build();
 * }
 *
 * @param poolFirst first address of the discovery pool
 * @param poolLast last address of the discovery pool
 * @param leaseTime how long a discovery lease lasts; default {@link #DEFAULT_LEASE_TIME}
 * @param namePattern how adopted nodes are named: a {@link String#format} pattern with one
 *     integer ({@code node%02d}), the lowest number from 1 whose name is free; default {@code node%02d}
 * @param addressFirst first address adopted nodes get (the lowest free one from here)
 * @param addressLast last address adopted nodes get
 * @param maxRecords how many discovered machines are remembered at most (the oldest is
 *     forgotten first); default {@link #DEFAULT_MAX_RECORDS}
 * @param recordLifetime how long a discovered machine is remembered after it was last seen;
 *     default {@link #DEFAULT_RECORD_LIFETIME}
 */
public record Discovery(Inet4Address poolFirst, Inet4Address poolLast, Duration leaseTime, String namePattern,
                        Optional<Inet4Address> addressFirst, Optional<Inet4Address> addressLast, int maxRecords,
                        Duration recordLifetime) implements ClusterExtension {

    /** The default discovery lease: 5 minutes (enough to be adopted and power-cycled; a flood's addresses come back soon). */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofMinutes(5);
    /** The default number of discovery records kept: 1024. */
    public static final int DEFAULT_MAX_RECORDS = 1024;
    /** The default time a discovery record is kept after the machine was last seen: 1 day. */
    public static final Duration DEFAULT_RECORD_LIFETIME = Duration.ofDays(1);
    /** The default name pattern of adopted nodes. */
    public static final String DEFAULT_NAME_PATTERN = "node%02d";

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException naming the first malformed value
     */
    public Discovery {
        if (poolFirst == null || poolLast == null) {
            throw new IllegalArgumentException("discovery pool needs its first and last address");
        }
        if (Integer.compareUnsigned(Ipv4.toInt(poolFirst), Ipv4.toInt(poolLast)) > 0) {
            throw new IllegalArgumentException("discovery pool " + range(poolFirst, poolLast) + " is reversed");
        }
        if (leaseTime == null || leaseTime.compareTo(Duration.ofMinutes(1)) < 0 || leaseTime.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("discovery lease time " + leaseTime + " must be between one minute and one day");
        }
        checkPattern(namePattern);
        if (addressFirst == null || addressLast == null || addressFirst.isPresent() != addressLast.isPresent()) {
            throw new IllegalArgumentException("adopted node addresses need both the first and the last address");
        }
        if (addressFirst.isPresent() && Integer.compareUnsigned(Ipv4.toInt(addressFirst.get()), Ipv4.toInt(addressLast.get())) > 0) {
            throw new IllegalArgumentException("adopted node addresses " + range(addressFirst.get(), addressLast.get()) + " are reversed");
        }
        if (maxRecords < 1 || maxRecords > 65536) {
            throw new IllegalArgumentException("discovery records " + maxRecords + " must be between 1 and 65536");
        }
        if (recordLifetime == null || recordLifetime.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("discovery record lifetime " + recordLifetime + " must be at least one minute");
        }
    }

    private static void checkPattern(String pattern) {
        String sample;
        try {
            sample = pattern == null ? null : String.format(Locale.ROOT, pattern, 1);
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("name pattern '" + pattern + "' must format one integer, like node%02d: " + e.getMessage());
        }
        if (sample == null || pattern.chars().filter(c -> c == '%').count() != 1 || !Hostname.isValid(sample) || sample.contains(".")) {
            throw new IllegalArgumentException("name pattern '" + pattern + "' must format one integer into a host name, like node%02d");
        }
    }

    private static String range(Inet4Address a, Inet4Address b) {
        return Ipv4.format(a) + "-" + Ipv4.format(b);
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code address} is in the discovery pool. */
    public boolean poolContains(Inet4Address address) {
        return between(address, poolFirst, poolLast);
    }

    private static boolean between(Inet4Address a, Inet4Address first, Inet4Address last) {
        int x = Ipv4.toInt(a);
        return Integer.compareUnsigned(x, Ipv4.toInt(first)) >= 0 && Integer.compareUnsigned(x, Ipv4.toInt(last)) <= 0;
    }

    /**
     * The name an adopted node gets in {@code cluster}: the pattern with the lowest number from
     * 1 whose name no node has.
     */
    public String nextName(Cluster cluster) {
        for (int i = 1; ; i++) {
            String name = String.format(Locale.ROOT, namePattern, i);
            if (cluster.nodeByName(name).isEmpty()) {
                return name;
            }
        }
    }

    /**
     * The address an adopted node gets in {@code cluster}: the lowest of the adopted-node range
     * (default: the subnet's host addresses) that no node, the server, the router, the
     * discovery pool or {@code alsoTaken} holds.
     *
     * @return the address, or empty if the range is full
     */
    public Optional<Inet4Address> nextAddress(Cluster cluster, Set<Inet4Address> alsoTaken) {
        Ipv4Network subnet = cluster.network().subnet();
        int first = Ipv4.toInt(addressFirst.orElse(subnet.network())) ;
        int last = Ipv4.toInt(addressLast.orElse(subnet.broadcast()));
        Set<Integer> taken = new HashSet<>();
        cluster.nodes().forEach(n -> taken.add(Ipv4.toInt(n.address())));
        alsoTaken.forEach(a -> taken.add(Ipv4.toInt(a)));
        taken.add(Ipv4.toInt(cluster.network().server()));
        taken.add(Ipv4.toInt(cluster.network().router()));
        taken.add(Ipv4.toInt(subnet.network()));
        taken.add(Ipv4.toInt(subnet.broadcast()));
        for (long a = Integer.toUnsignedLong(first); a <= Integer.toUnsignedLong(last); a++) {
            Inet4Address candidate = Ipv4.fromInt((int) a);
            if (!taken.contains((int) a) && !poolContains(candidate) && subnet.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public void validate(Cluster cluster, List<String> problems) {
        Ipv4Network subnet = cluster.network().subnet();
        String pool = range(poolFirst, poolLast);
        if (!subnet.contains(poolFirst) || !subnet.contains(poolLast)) {
            problems.add("discovery pool " + pool + " is not inside the subnet " + subnet);
        } else {
            for (Node n : cluster.nodes()) {
                if (poolContains(n.address())) {
                    problems.add("discovery pool " + pool + " contains the address " + Ipv4.format(n.address()) + " of node "
                            + n.hostname() + ": move the pool or the node");
                }
            }
            for (Inet4Address a : List.of(cluster.network().server(), cluster.network().router())) {
                if (poolContains(a)) {
                    problems.add("discovery pool " + pool + " contains the server or router address " + Ipv4.format(a));
                }
            }
            if (Integer.toUnsignedLong(Ipv4.toInt(poolLast)) - Integer.toUnsignedLong(Ipv4.toInt(poolFirst)) >= 65536) {
                problems.add("discovery pool " + pool + " has more than 65536 addresses");
            }
        }
        if (addressFirst.isPresent() && (!subnet.contains(addressFirst.get()) || !subnet.contains(addressLast.get()))) {
            problems.add("adopted node addresses " + range(addressFirst.get(), addressLast.get()) + " are not inside the subnet " + subnet);
        }
        // Providers chosen by name are netboot4j's: only the embedded one answers discovery (a
        // provider given as an instance is the caller's, who knows what it serves).
        cluster.providers().addressAllocation().name().filter(n -> !n.equals("embedded")).ifPresent(n ->
                problems.add("discovery is served by the embedded DHCP provider only, not by " + n));
    }

    /** Builds {@link Discovery}; every setter checks its argument at once. */
    public static final class Builder {
        private Inet4Address poolFirst;
        private Inet4Address poolLast;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private String namePattern = DEFAULT_NAME_PATTERN;
        private Inet4Address addressFirst;
        private Inet4Address addressLast;
        private int maxRecords = DEFAULT_MAX_RECORDS;
        private Duration recordLifetime = DEFAULT_RECORD_LIFETIME;

        Builder() {
        }

        /**
         * The discovery pool (required): addresses of machines being discovered, inside the
         * cluster subnet and outside every node's address ({@code build()} of the cluster checks).
         *
         * @throws IllegalArgumentException if an address is malformed or the range is reversed
         */
        public Builder pool(String first, String last) {
            Inet4Address f = Ipv4.parse(first);
            Inet4Address l = Ipv4.parse(last);
            new Discovery(f, l, DEFAULT_LEASE_TIME, DEFAULT_NAME_PATTERN, Optional.empty(), Optional.empty(), 1, DEFAULT_RECORD_LIFETIME);
            this.poolFirst = f;
            this.poolLast = l;
            return this;
        }

        /**
         * How long a discovery lease lasts; default 5 minutes.
         *
         * @throws IllegalArgumentException if shorter than a minute or longer than a day
         */
        public Builder leaseTime(Duration time) {
            if (time == null || time.compareTo(Duration.ofMinutes(1)) < 0 || time.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("discovery lease time " + time + " must be between one minute and one day");
            }
            this.leaseTime = time;
            return this;
        }

        /**
         * How adopted nodes are named: a pattern with one integer, default {@code node%02d}.
         *
         * @throws IllegalArgumentException if it does not format one integer into a host name
         */
        public Builder names(String pattern) {
            checkPattern(pattern);
            this.namePattern = pattern;
            return this;
        }

        /**
         * The addresses adopted nodes get, lowest free first; default the whole subnet (outside the
         * pools, server and router).
         *
         * @throws IllegalArgumentException if an address is malformed or the range is reversed
         */
        public Builder addresses(String first, String last) {
            Inet4Address f = Ipv4.parse(first);
            Inet4Address l = Ipv4.parse(last);
            if (Integer.compareUnsigned(Ipv4.toInt(f), Ipv4.toInt(l)) > 0) {
                throw new IllegalArgumentException("adopted node addresses " + range(f, l) + " are reversed");
            }
            this.addressFirst = f;
            this.addressLast = l;
            return this;
        }

        /**
         * How many discovered machines are remembered, and for how long after they were last
         * seen; default 1024 and one day.
         *
         * @throws IllegalArgumentException if the count is outside 1-65536 or the time under a minute
         */
        public Builder records(int max, Duration lifetime) {
            if (max < 1 || max > 65536) {
                throw new IllegalArgumentException("discovery records " + max + " must be between 1 and 65536");
            }
            if (lifetime == null || lifetime.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("discovery record lifetime " + lifetime + " must be at least one minute");
            }
            this.maxRecords = max;
            this.recordLifetime = lifetime;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException if no pool was given
         */
        public Discovery build() {
            if (poolFirst == null) {
                throw new IllegalStateException("discovery needs a pool: call pool(first, last)");
            }
            return new Discovery(poolFirst, poolLast, leaseTime, namePattern, Optional.ofNullable(addressFirst),
                    Optional.ofNullable(addressLast), maxRecords, recordLifetime);
        }
    }
}
