package io.netboot4j.testkit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Replays a {@link WorkingSet} for one node over its {@link NfsRootClient}, resolving paths
 * with LOOKUPs it remembers (the kernel's dentry cache), and checks what comes back: every
 * READ against the same bytes of the exported file on the host, every file the node wrote
 * read back whole and compared with what it wrote. The node's written content starts
 * {@code name=<node>\naddress=<address>\n}.
 */
public final class WorkingSetReplay {

    /** Checksums of exported byte ranges, shared by all nodes of a run. */
    public static final class ExportedData {
        private final Path root;
        private final Map<String, Long> crcs = new ConcurrentHashMap<>();

        /** @param root the exported folder on the host */
        public ExportedData(Path root) {
            this.root = root;
        }

        long crc(String path, long offset, int length) throws IOException {
            String key = path + "@" + offset + "+" + length;
            Long c = crcs.get(key);
            if (c != null) {
                return c;
            }
            ByteBuffer b = ByteBuffer.allocate(length);
            try (FileChannel ch = FileChannel.open(root.resolve(path.substring(1)), StandardOpenOption.READ)) {
                while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                    // read the whole range
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            long v = b.position() == length ? crc.getValue() : -1;
            crcs.put(key, v);
            return v;
        }
    }

    private final NfsRootClient nfs;
    private final ExportedData exported;
    private final String node;
    private final byte[] content;
    private final Map<String, byte[]> handles = new HashMap<>();
    private final Map<String, byte[]> written = new HashMap<>();
    private long bytesRead;

    /**
     * @param nfs the node's mounted root
     * @param exported the host's view of the export
     * @param node the node's host name
     * @param address the node's address, written into its files
     */
    public WorkingSetReplay(NfsRootClient nfs, ExportedData exported, String node, String address) {
        this.nfs = nfs;
        this.exported = exported;
        this.node = node;
        this.content = ("name=" + node + "\naddress=" + address + "\n").getBytes(StandardCharsets.US_ASCII);
        handles.put("/", nfs.root());
    }

    /** Bytes the replay read. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Files the node wrote, with what they hold now (after renames). */
    public Map<String, byte[]> written() {
        return Map.copyOf(written);
    }

    /**
     * Replays every call in order, then reads back what the node wrote.
     *
     * @throws IOException naming the call that failed or the data that differed
     */
    public void replay(WorkingSet set) throws IOException {
        for (WorkingSet.Call recorded : set.calls()) {
            WorkingSet.Call c = recorded.forNode(node);
            try {
                run(c);
            } catch (NfsRootClient.NfsException e) {
                // a LOOKUP of a name that is not there (NOENT), a MKDIR of one that is (EXIST): as recorded
                if (!(c.op() == WorkingSet.Op.LOOKUP && e.status() == 2) && !(c.op() == WorkingSet.Op.MKDIR && e.status() == 17)) {
                    throw new IOException(c.op() + " " + c.path() + ": " + e.getMessage(), e);
                }
            }
        }
        for (var e : written.entrySet()) {
            byte[] fh = handle(e.getKey());
            byte[] back = nfs.read(fh, 0, e.getValue().length + 1);
            if (!Arrays.equals(back, e.getValue())) {
                throw new IOException("read back " + e.getKey() + ": " + back.length + " bytes differ from the " + e.getValue().length
                        + " written");
            }
        }
    }

    private void run(WorkingSet.Call c) throws IOException {
        switch (c.op()) {
            case LOOKUP -> handles.put(c.path(), nfs.lookup(handle(parent(c.path())), name(c.path())));
            case GETATTR -> nfs.getattr(handle(c.path()));
            case ACCESS -> nfs.access(handle(c.path()));
            case READLINK -> nfs.readlink(handle(c.path()));
            case READDIRPLUS -> nfs.readdirplus(handle(c.path()));
            case READ -> {
                byte[] data = nfs.read(handle(c.path()), c.offset(), c.count());
                bytesRead += data.length;
                if (!written.containsKey(c.path()) && data.length > 0) {
                    CRC32C crc = new CRC32C();
                    crc.update(data);
                    if (crc.getValue() != exported.crc(c.path(), c.offset(), data.length)) {
                        throw new IOException("READ " + c.path() + " at " + c.offset() + ": " + data.length
                                + " bytes differ from the exported file");
                    }
                }
            }
            case CREATE -> {
                handles.put(c.path(), nfs.create(handle(parent(c.path())), name(c.path()), 0644));
                written.put(c.path(), new byte[0]);
            }
            case WRITE -> {
                byte[] data = fill(c.offset(), c.count());
                nfs.write(handle(c.path()), c.offset(), data);
                byte[] now = written.getOrDefault(c.path(), new byte[0]);
                byte[] grown = Arrays.copyOf(now, (int) Math.max(now.length, c.offset() + data.length));
                System.arraycopy(data, 0, grown, (int) c.offset(), data.length);
                written.put(c.path(), grown);
            }
            case SETATTR -> nfs.chmod(handle(c.path()), 0644);
            case COMMIT -> nfs.commit(handle(c.path()));
            case FSINFO -> nfs.fsinfo(handle(c.path()));
            case MKDIR -> nfs.mkdir(handle(parent(c.path())), name(c.path()), 0755);
            case REMOVE -> {
                nfs.remove(handle(parent(c.path())), name(c.path()));
                handles.remove(c.path());
                written.remove(c.path());
            }
            case RENAME -> {
                nfs.rename(handle(parent(c.path())), name(c.path()), name(c.target()));
                handles.put(c.target(), handles.remove(c.path()));
                byte[] moved = written.remove(c.path());
                if (moved != null) {
                    written.put(c.target(), moved);
                }
            }
        }
    }

    private byte[] fill(long offset, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            long at = offset + i;
            b[i] = at < content.length ? content[(int) at] : (byte) ('a' + (at % 26));
        }
        return b;
    }

    private byte[] handle(String path) throws IOException {
        byte[] h = handles.get(path);
        if (h == null) {
            h = nfs.lookup(handle(parent(path)), name(path));
            handles.put(path, h);
        }
        return h;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
