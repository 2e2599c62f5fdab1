package io.netboot4j.nfsroot.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses of the host names in export rules, resolved off the calling thread and
 * kept for a time to live, as mountd keeps its answers in the kernel's export cache: a
 * call never waits for DNS. A name is resolved in the background when first asked for
 * (the first answer is "no address" until it arrives) and again when its answer is older
 * than the TTL, the old answer serving meanwhile. Names that do not resolve are kept
 * too, as no address.
 */
final class HostNames {

    private static final Logger LOG = LoggerFactory.getLogger(HostNames.class);
    static final Duration TTL = Duration.ofSeconds(60);

    private record Answer(Set<InetAddress> addresses, long atNanos) {
    }

    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();
    private final Set<String> resolving = ConcurrentHashMap.newKeySet();
    private final Function<String, Set<InetAddress>> dns;
    private final LongSupplier nanos;

    HostNames() {
        this(HostNames::lookup, System::nanoTime);
    }

    HostNames(Function<String, Set<InetAddress>> dns, LongSupplier nanos) {
        this.dns = dns;
        this.nanos = nanos;
    }

    private static Set<InetAddress> lookup(String name) {
        try {
            return Set.of(InetAddress.getAllByName(name));
        } catch (UnknownHostException e) {
            return Set.of();
        }
    }

    /** What {@code name} resolved to (possibly empty), never waiting; starts a background resolution when due. */
    Set<InetAddress> addresses(String name) {
        Answer a = answers.get(name);
        if (a == null || nanos.getAsLong() - a.atNanos > TTL.toNanos()) {
            refresh(name);
        }
        return a == null ? Set.of() : a.addresses;
    }

    /** Resolves {@code name} on a virtual thread unless that is already under way. */
    void refresh(String name) {
        if (resolving.add(name)) {
            Thread.ofVirtual().name("nfs-dns-" + name).start(() -> {
                try {
                    Set<InetAddress> found = dns.apply(name);
                    answers.put(name, new Answer(found, nanos.getAsLong()));
                    LOG.debug("export rule host {} resolves to {}", name, found);
                } finally {
                    resolving.remove(name);
                }
            });
        }
    }
}
