package io.netboot4j.nfsroot.internal;

import io.netboot4j.core.BootEvent;
import io.netboot4j.core.BootEventListener;
import io.netboot4j.core.Cluster;
import io.netboot4j.core.Ipv4;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MOUNT and NFS programs share: the exported folder, its rules, handles, the
 * index of files, open files, the mount table, the per-run write verifier and counters.
 */
public final class ExportState implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportState.class);
    private static final int MAX_OPEN_FILES = 256;

    private final Path root;
    private final HostNames hostNames = new HostNames();
    private final String exportPath;
    /** The rules and the node list their host names are matched against; replaced whole by {@link #update}. */
    private volatile Access access;
    private final FileHandles handles;
    private final FileIndex index;
    private final BootEventListener events;
    private final Clock clock;
    private final byte[] writeVerifier = new byte[8];
    private final Map<Inet4Address, Set<String>> mounts = new ConcurrentHashMap<>();
    private final Set<Inet4Address> up = ConcurrentHashMap.newKeySet();
    private final Map<OpenKey, FileChannel> open = new LinkedHashMap<>(64, 0.75f, true);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();

    private record OpenKey(long dev, long ino, boolean write) {
    }

    private record Access(List<ExportRule> rules, Cluster cluster) {
    }

    /**
     * @param root the exported folder, as clients name it in MNT
     * @param rules the export's client rules, first match wins
     * @param handleKey the HMAC key of file handles
     */
    public ExportState(Path root, List<ExportRule> rules, Cluster cluster, byte[] handleKey, BootEventListener events, Clock clock)
            throws java.io.IOException {
        this.root = root;
        this.exportPath = root.toString();
        this.handles = new FileHandles(handleKey, root);
        this.index = new FileIndex(root);
        update(rules, cluster);
        this.events = events;
        this.clock = clock;
        new SecureRandom().nextBytes(writeVerifier);
    }

    public Path root() {
        return root;
    }

    public String exportPath() {
        return exportPath;
    }

    public List<ExportRule> rules() {
        return access.rules();
    }

    /**
     * Replaces the rules and the cluster whose node names they match (a live change): the
     * next call is checked against them; a call under way keeps the rule it was admitted by.
     */
    public void update(List<ExportRule> rules, Cluster cluster) {
        Access a = new Access(List.copyOf(rules), cluster);
        for (ExportRule r : a.rules()) {
            if (r.needsDns(cluster)) {
                hostNames.refresh(r.client()); // before the first call, off the caller's thread
            }
        }
        access = a;
    }

    public FileHandles handles() {
        return handles;
    }

    public FileIndex index() {
        return index;
    }

    public byte[] writeVerifier() {
        return writeVerifier.clone();
    }

    /** The first rule whose client is {@code address}, or null. */
    public ExportRule rule(Inet4Address address) {
        Access a = access;
        for (ExportRule r : a.rules()) {
            if (r.matches(address, a.cluster(), hostNames::addresses)) {
                return r;
            }
        }
        return null;
    }

    public void countMalformed() {
        malformed.incrementAndGet();
    }

    public long malformed() {
        return malformed.get();
    }

    public void countDenied() {
        denied.incrementAndGet();
    }

    public long denied() {
        return denied.get();
    }

    /** The handle of a file. */
    public byte[] handle(Stat s) {
        return handles.encode(s.dev(), s.ino(), s.btimeNanos());
    }

    // ---- mounts and events

    public void mounted(Inet4Address client, String path) {
        mounts.computeIfAbsent(client, k -> ConcurrentHashMap.newKeySet()).add(path);
        up.remove(client);
        LOG.info("{} mounted {}", Ipv4.format(client), path);
        events.onEvent(new BootEvent.RootMounted(clock.instant(), client, path));
    }

    public void unmounted(Inet4Address client, String path) {
        Set<String> s = mounts.get(client);
        if (s != null) {
            s.remove(path);
            if (s.isEmpty()) {
                mounts.remove(client, s);
            }
        }
        LOG.info("{} unmounted {}", Ipv4.format(client), path);
        events.onEvent(new BootEvent.RootUnmounted(clock.instant(), client, path));
    }

    public void unmountedAll(Inet4Address client) {
        Set<String> s = mounts.remove(client);
        for (String p : s == null ? Set.of(exportPath) : s) {
            events.onEvent(new BootEvent.RootUnmounted(clock.instant(), client, p));
        }
    }

    /** The mount table: client address to mounted paths. */
    public Map<Inet4Address, List<String>> mountTable() {
        Map<Inet4Address, List<String>> m = new LinkedHashMap<>();
        mounts.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        return m;
    }

    /** Called after a successful change by {@code client}: emits NodeUp once per mount. */
    public void changedBy(Inet4Address client, String what) {
        if (mounts.containsKey(client) && up.add(client)) {
            events.onEvent(new BootEvent.NodeUp(clock.instant(), client, "first " + what + " to the NFS root"));
        }
    }

    // ---- open files

    /** An open channel on the file at {@code path} with identity of {@code s}; cached. */
    public FileChannel channel(Path path, Stat s, boolean write) throws IOException {
        OpenKey k = new OpenKey(s.dev(), s.ino(), write);
        synchronized (open) {
            FileChannel ch = open.get(k);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
        }
        // An anchor of a file opened and checked against its handle names exactly that file
        // (and must be followed); any other path must not end in a link.
        java.nio.file.OpenOption follow = Anchor.fdOf(path) >= 0 ? StandardOpenOption.READ : java.nio.file.LinkOption.NOFOLLOW_LINKS;
        FileChannel ch = write
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, follow)
                : FileChannel.open(path, StandardOpenOption.READ, follow);
        synchronized (open) {
            FileChannel prev = open.put(k, ch);
            if (prev != null && prev != ch) {
                closeQuietly(prev);
            }
            if (open.size() > MAX_OPEN_FILES) {
                var it = open.entrySet().iterator();
                FileChannel eldest = it.next().getValue();
                it.remove();
                closeQuietly(eldest);
            }
        }
        return ch;
    }

    /** Forgets cached channels and descriptors of a file (after it was removed). */
    public void closeChannels(Stat s) {
        index.closeCached(s);
        close(new OpenKey(s.dev(), s.ino(), false));
        close(new OpenKey(s.dev(), s.ino(), true));
    }

    /**
     * Closes the cached writing channel (and cached descriptor) of a file, after a COMMIT: the client has flushed
     * what it wrote (the Linux client and libnfs commit when a file is closed), and an
     * open descriptor would keep a file deleted on the server side, and its page cache,
     * alive until the cache evicts it. Linux nfsd and nfs-ganesha close such files too.
     */
    public void closeWriter(Stat s) {
        index.closeCached(s);
        close(new OpenKey(s.dev(), s.ino(), true));
    }

    /** Removes the cached channel of {@code k}, if any, and closes it outside the lock. */
    private void close(OpenKey k) {
        FileChannel ch;
        synchronized (open) {
            ch = open.remove(k);
        }
        if (ch != null) {
            closeQuietly(ch);
        }
    }

    /** Whether a channel of the file is cached (for tests). */
    boolean cached(Stat s, boolean write) {
        synchronized (open) {
            FileChannel ch = open.get(new OpenKey(s.dev(), s.ino(), write));
            return ch != null && ch.isOpen();
        }
    }

    /** Runs an I/O action on a cached channel, reopening once if it was closed meanwhile. */
    public <T> T withChannel(Path path, Stat s, boolean write, ChannelAction<T> action) throws IOException {
        try {
            return action.run(channel(path, s, write));
        } catch (ClosedChannelException e) {
            return action.run(channel(path, s, write));
        }
    }

    /** An action on a channel. */
    @FunctionalInterface
    public interface ChannelAction<T> {
        T run(FileChannel ch) throws IOException;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(ExportState::closeQuietly);
            open.clear();
        }
        index.close();
    }
}
