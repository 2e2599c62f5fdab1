package io.netboot4j.dhcp.internal;

import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.Ipv4;
import io.netboot4j.core.MacAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynamic pool: which address each machine that is not a node holds, kept in a text
 * file that is rewritten atomically (temporary file, {@code fsync}, atomic rename) before
 * any DHCPACK leaves, and read back at start. An address belongs to at most one MAC at a
 * time, also across a restart: offers are held in memory for {@link #OFFER_HOLD}, bindings
 * only exist once written.
 *
 * <p>When choosing an address for a new client the store takes one never handed out
 * before, then the one whose last holder released it or let it expire longest ago, as
 * ISC dhcpd does. A returning client gets its previous address back while nobody else
 * took it.
 *
 * <p>Not thread-safe: the server's receive loop is its only user.
 */
public final class LeaseStore {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseStore.class);

    /** How long an offered address is kept for the client it was offered to. */
    public static final Duration OFFER_HOLD = Duration.ofSeconds(60);

    /** What state an address of the pool is in. */
    public enum State {
        /** Offered, waiting for the client's DHCPREQUEST (memory only). */
        OFFERED,
        /** Acknowledged: the client holds it until {@code expires}. */
        BOUND,
        /** Released or expired: free, remembered for its last holder. */
        FREE,
        /** Declined by a client (in use by someone else): not handed out until {@code expires}. */
        DECLINED
    }

    /**
     * One address of the pool with its holder.
     *
     * @param address the address as an int
     * @param mac its holder or last holder ({@code null} for a declined address)
     * @param state the state
     * @param expires when a binding, offer or decline ends
     */
    public record Lease(int address, MacAddress mac, State state, Instant expires) {
    }

    private final Path file;
    /** The pool's ranges, each {first, last}: one per subnet when pools lie on several subnets. */
    private final int[][] ranges;
    private final Set<Integer> excluded;
    private final Map<Integer, Lease> byAddress = new HashMap<>();
    private final Map<MacAddress, Integer> byMac = new HashMap<>();
    /** Per range, the next never-used address to try. */
    private final int[] cursors;

    /**
     * @param file the lease file (need not exist yet)
     * @param first first address of the pool
     * @param last last address of the pool
     * @param excluded addresses inside the range never to hand out (server, router, nodes)
     */
    public LeaseStore(Path file, Inet4Address first, Inet4Address last, Set<Integer> excluded) {
        this(file, List.of(first), List.of(last), excluded);
    }

    /**
     * A pool of several ranges (for example one per subnet); see {@link #offer(MacAddress, int, Instant, IntPredicate)}.
     *
     * @param file the lease file (need not exist yet)
     * @param firsts the first address of each range
     * @param lasts the last address of each range, in the same order
     * @param excluded addresses inside the ranges never to hand out (server, routers, relays, nodes)
     */
    public LeaseStore(Path file, List<Inet4Address> firsts, List<Inet4Address> lasts, Set<Integer> excluded) {
        if (firsts.isEmpty() || firsts.size() != lasts.size()) {
            throw new IllegalArgumentException("a pool needs as many first as last addresses, at least one");
        }
        this.file = file;
        this.ranges = new int[firsts.size()][];
        this.cursors = new int[firsts.size()];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new int[] {Ipv4.toInt(firsts.get(i)), Ipv4.toInt(lasts.get(i))};
            cursors[i] = ranges[i][0];
        }
        this.excluded = Set.copyOf(excluded);
    }

    /** Whether a range of the pool starts at an address {@code where} accepts (a subnet's test: the ranges lie in one subnet each). */
    public boolean hasRange(IntPredicate where) {
        for (int[] r : ranges) {
            if (where.test(r[0])) {
                return true;
            }
        }
        return false;
    }

    /** The lease file. */
    public Path file() {
        return file;
    }

    /**
     * Reads the lease file if it exists; lines it cannot read, and addresses outside the
     * pool, are skipped with a warning.
     *
     * @return the number of leases read
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public int load() {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lease file " + file + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields");
                }
                int a = Ipv4.toInt(Ipv4.parse(f[0]));
                MacAddress mac = f[1].equals("-") ? null : MacAddress.parse(f[1]);
                State s = State.valueOf(f[2]);
                Instant exp = Instant.ofEpochSecond(Long.parseLong(f[3]));
                if (s == State.OFFERED || (mac == null && s != State.DECLINED)) {
                    throw new IllegalArgumentException("state " + s + " without a holder");
                }
                if (!inPool(a)) {
                    LOG.warn("lease file {}: {} is outside the pool now; dropped", file, f[0]);
                    continue;
                }
                put(new Lease(a, mac, s, exp));
                n++;
            } catch (RuntimeException e) {
                LOG.warn("lease file {}: skipped unreadable line '{}': {}", file, l, e.getMessage());
            }
        }
        return n;
    }

    private boolean inPool(int a) {
        if (excluded.contains(a)) {
            return false;
        }
        for (int[] r : ranges) {
            if (Integer.compareUnsigned(a, r[0]) >= 0 && Integer.compareUnsigned(a, r[1]) <= 0) {
                return true;
            }
        }
        return false;
    }

    private void put(Lease lease) {
        Lease old = byAddress.put(lease.address(), lease);
        if (old != null && old.mac() != null && !old.mac().equals(lease.mac())) {
            byMac.remove(old.mac(), old.address());
        }
        if (lease.mac() != null) {
            Integer prev = byMac.put(lease.mac(), lease.address());
            if (prev != null && prev != lease.address()) {
                Lease p = byAddress.get(prev);
                if (p != null && lease.mac().equals(p.mac())) {
                    // A MAC holds one address: its previous one becomes free (remembered for nobody).
                    byAddress.put(prev, new Lease(prev, null, State.FREE, p.expires()));
                }
            }
        }
    }

    /** The lease of {@code mac}, if it has or had one that nobody else took since. */
    public Lease leaseOf(MacAddress mac) {
        Integer a = byMac.get(mac);
        return a == null ? null : byAddress.get(a);
    }

    /** The lease record of {@code address}, or null. */
    public Lease leaseAt(int address) {
        return byAddress.get(address);
    }

    /** Whether {@code address} is in the pool (and not excluded). */
    public boolean contains(int address) {
        return inPool(address);
    }

    /** Whether {@code mac} may take {@code address} now: it is in the pool and nobody else holds, is offered or declined it. */
    public boolean availableFor(int address, MacAddress mac, Instant now) {
        if (!inPool(address)) {
            return false;
        }
        Lease l = byAddress.get(address);
        if (l == null || mac.equals(l.mac()) && l.state() != State.DECLINED) {
            return true;
        }
        return switch (l.state()) {
            case FREE -> true;
            case OFFERED, BOUND, DECLINED -> !l.expires().isAfter(now);
        };
    }

    /**
     * Chooses an address for {@code mac} and holds it as offered for {@link #OFFER_HOLD}.
     *
     * @param requested the address the client asked for (option 50), or 0
     * @return the address, or {@code null} if the pool is exhausted
     */
    public Integer offer(MacAddress mac, int requested, Instant now) {
        return offer(mac, requested, now, a -> true);
    }

    /**
     * Like {@link #offer(MacAddress, int, Instant)}, choosing only among addresses {@code where}
     * accepts (those of the subnet the client asks from).
     */
    public Integer offer(MacAddress mac, int requested, Instant now, IntPredicate where) {
        Integer chosen = null;
        Lease own = leaseOf(mac);
        if (own != null && own.state() != State.DECLINED && where.test(own.address()) && availableFor(own.address(), mac, now)) {
            chosen = own.address();
        } else if (requested != 0 && where.test(requested) && availableFor(requested, mac, now)) {
            chosen = requested;
        } else {
            chosen = pick(now, where);
        }
        if (chosen == null) {
            return null;
        }
        Lease l = byAddress.get(chosen);
        if (l != null && l.state() == State.BOUND && mac.equals(l.mac()) && l.expires().isAfter(now)) {
            return chosen; // already bound to this client: nothing to hold
        }
        put(new Lease(chosen, mac, State.OFFERED, now.plus(OFFER_HOLD)));
        return chosen;
    }

    private Integer pick(Instant now, IntPredicate where) {
        // Never-used addresses first, in order, in the ranges where the client is.
        for (int r = 0; r < ranges.length; r++) {
            int first = ranges[r][0];
            int last = ranges[r][1];
            if (!where.test(first)) {
                continue;
            }
            long span = Integer.toUnsignedLong(last) - Integer.toUnsignedLong(first) + 1;
            for (long i = 0; i < span; i++) {
                int a = cursors[r];
                cursors[r] = a == last ? first : a + 1;
                if (inPool(a) && !byAddress.containsKey(a)) {
                    return a;
                }
            }
        }
        // Then the free or lapsed one that has been free longest.
        Lease best = null;
        for (Lease l : byAddress.values()) {
            boolean free = l.state() == State.FREE || !l.expires().isAfter(now);
            if (free && inPool(l.address()) && where.test(l.address()) && (best == null || l.expires().isBefore(best.expires()))) {
                best = l;
            }
        }
        return best == null ? null : best.address();
    }

    /**
     * Binds {@code address} to {@code mac} until {@code expires} and writes the file.
     *
     * @return false if the address is not available to this MAC (nothing changed)
     * @throws UncheckedIOException if the file cannot be written (nothing bound then)
     */
    public boolean bind(MacAddress mac, int address, Instant expires, Instant now) {
        if (!availableFor(address, mac, now)) {
            return false;
        }
        Lease previous = byAddress.get(address);
        Integer previousOfMac = byMac.get(mac);
        Lease previousMacLease = previousOfMac == null ? null : byAddress.get(previousOfMac);
        put(new Lease(address, mac, State.BOUND, expires));
        try {
            save();
        } catch (UncheckedIOException e) {
            // Undo: a binding exists only once it is on disk.
            restore(address, previous);
            if (previousMacLease != null) {
                restore(previousMacLease.address(), previousMacLease);
            }
            if (previousOfMac != null) {
                byMac.put(mac, previousOfMac);
            } else {
                byMac.remove(mac);
            }
            throw e;
        }
        return true;
    }

    private void restore(int address, Lease previous) {
        if (previous == null) {
            byAddress.remove(address);
        } else {
            byAddress.put(address, previous);
        }
    }

    /**
     * Frees {@code address} if {@code mac} holds it (DHCPRELEASE); writes the file.
     *
     * @return whether it was held by {@code mac}
     */
    public boolean release(MacAddress mac, int address, Instant now) {
        Lease l = byAddress.get(address);
        if (l == null || !mac.equals(l.mac()) || l.state() == State.DECLINED) {
            return false;
        }
        byAddress.put(address, new Lease(address, mac, State.FREE, now));
        save();
        return true;
    }

    /** Marks {@code address} unusable until {@code until} (DHCPDECLINE); writes the file. */
    public void decline(int address, Instant until) {
        if (!inPool(address)) {
            return;
        }
        Lease l = byAddress.get(address);
        if (l != null && l.mac() != null) {
            byMac.remove(l.mac(), address);
        }
        byAddress.put(address, new Lease(address, null, State.DECLINED, until));
        save();
    }

    /** Drops offers that were not taken up in time; called now and then by the server. */
    public void expireOffers(Instant now) {
        List<Lease> lapsed = new ArrayList<>();
        for (Lease l : byAddress.values()) {
            if (l.state() == State.OFFERED && !l.expires().isAfter(now)) {
                lapsed.add(l);
            }
        }
        for (Lease l : lapsed) {
            byAddress.remove(l.address());
            byMac.remove(l.mac(), l.address());
        }
    }

    /** Every lease record (for tests and status). */
    public List<Lease> all() {
        return List.copyOf(byAddress.values());
    }

    /** Writes the file atomically: bindings, free and declined records (not offers). */
    public void save() {
        StringBuilder b = new StringBuilder("# netboot4j dynamic leases: address mac state expires-epoch-seconds\n");
        byAddress.values().stream().filter(l -> l.state() != State.OFFERED)
                .sorted((x, y) -> Integer.compareUnsigned(x.address(), y.address()))
                .forEach(l -> b.append(Ipv4.format(Ipv4.fromInt(l.address()))).append(' ')
                        .append(l.mac() == null ? "-" : l.mac().toString()).append(' ')
                        .append(l.state()).append(' ').append(l.expires().getEpochSecond()).append('\n'));
        writeAtomically(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path target, byte[] data) {
        try {
            AtomicFiles.write(target, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
