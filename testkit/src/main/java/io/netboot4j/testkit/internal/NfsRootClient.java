package io.netboot4j.testkit.internal;

import io.netboot4j.core.net.NetworkSeam;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The NFSv3 root mount of a booting Linux node, over TCP: portmap {@code GETPORT} for
 * MOUNT and NFS (one connection each, closed after), {@code MNT} of the root from a
 * reserved port, then on the NFS connection (also from a reserved port, as the kernel's
 * {@code xprt} does) NULL and {@code FSINFO} of the root, and
 * afterwards the calls of the boot's working set. File handles are opaque bytes.
 *
 * <p>The recorded Linux 6.1 mount made a NULL call and one FSINFO on the NFS connection
 * before the root's own calls (a second FSINFO, ACCESS, LOOKUPs: they are in the working set);
 * no PATHCONF or GETATTR came at mount time, so none is made here.
 */
public final class NfsRootClient implements AutoCloseable {

    static final int PORTMAP = 100000;
    static final int MOUNT = 100005;
    static final int NFS = 100003;
    static final int NFS_OK = 0;

    /** NFSv3 procedure numbers (RFC 1813). */
    public static final int NULL = 0, GETATTR = 1, SETATTR = 2, LOOKUP = 3, ACCESS = 4, READLINK = 5, READ = 6, WRITE = 7,
            CREATE = 8, MKDIR = 9, REMOVE = 12, RENAME = 14, READDIRPLUS = 17, FSINFO = 19, PATHCONF = 20, COMMIT = 21;

    /** A failed NFS call: the procedure and its {@code nfsstat3}. */
    public static final class NfsException extends IOException {
        private final int status;

        NfsException(String what, int status) {
            super(what + " failed: nfsstat3 " + status);
            this.status = status;
        }

        /** The {@code nfsstat3} (2 is NOENT). */
        public int status() {
            return status;
        }
    }

    private final RpcConnection nfs;
    private final byte[] root;
    private int calls;

    private NfsRootClient(RpcConnection nfs, byte[] root) {
        this.nfs = nfs;
        this.root = root;
    }

    /**
     * Mounts {@code export} from {@code server} as the kernel does, from the node's
     * {@code local} address.
     */
    public static NfsRootClient mount(NetworkSeam seam, Inet4Address local, Inet4Address server, String export,
            Impairment link, String machine) throws IOException {
        int xid = (int) (System.nanoTime() ^ local.hashCode());
        int mountPort;
        int nfsPort;
        // one portmap connection per GETPORT, as recorded
        try (RpcConnection pm = RpcConnection.open(seam, local, false, new InetSocketAddress(server, 111), link, machine, xid)) {
            mountPort = getport(pm, MOUNT, 3);
        }
        try (RpcConnection pm = RpcConnection.open(seam, local, false, new InetSocketAddress(server, 111), link, machine, xid + 50)) {
            nfsPort = getport(pm, NFS, 3);
        }
        byte[] fh;
        try (RpcConnection m = RpcConnection.open(seam, local, true, new InetSocketAddress(server, mountPort), link, machine, xid + 100)) {
            Xdr r = m.call(MOUNT, 3, 1, x -> x.putString(export));
            int status = r.getInt();
            if (status != 0) {
                throw new IOException("MNT " + export + " refused: mountstat3 " + status);
            }
            fh = r.getOpaque();
        }
        RpcConnection n = RpcConnection.open(seam, local, true, new InetSocketAddress(server, nfsPort), link, machine, xid + 200);
        NfsRootClient c = new NfsRootClient(n, fh);
        try {
            c.call(NULL, x -> { });
            c.ok("FSINFO", c.call(FSINFO, x -> x.putOpaque(fh)));
            return c;
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
    }

    private static int getport(RpcConnection pm, int prog, int vers) throws IOException {
        int port = pm.call(PORTMAP, 2, 3, x -> x.putInt(prog).putInt(vers).putInt(6).putInt(0)).getInt();
        if (port <= 0 || port > 0xFFFF) {
            throw new IOException("portmap has no TCP port for program " + prog + " version " + vers);
        }
        return port;
    }

    /** The root's file handle. */
    public byte[] root() {
        return root.clone();
    }

    /** NFS calls made so far (after the mount). */
    public int calls() {
        return calls;
    }

    /** Calls an NFSv3 procedure; the reader starts at its {@code nfsstat3}. */
    public Xdr call(int proc, Consumer<Xdr> args) throws IOException {
        calls++;
        return nfs.call(NFS, 3, proc, args);
    }

    /** Reads the status; throws {@link NfsException} if it is not {@code NFS3_OK}. */
    public Xdr ok(String what, Xdr reply) throws NfsException {
        int status = reply.getInt();
        if (status != NFS_OK) {
            throw new NfsException(what, status);
        }
        return reply;
    }

    /** LOOKUP {@code name} in directory {@code dir}: the object's handle. */
    public byte[] lookup(byte[] dir, String name) throws IOException {
        return ok("LOOKUP " + name, call(LOOKUP, x -> x.putOpaque(dir).putString(name))).getOpaque();
    }

    /** READ of {@code count} bytes at {@code offset}: the data. */
    public byte[] read(byte[] fh, long offset, int count) throws IOException {
        Xdr r = ok("READ", call(READ, x -> x.putOpaque(fh).putLong(offset).putInt(count)));
        skipPostOpAttr(r);
        r.getInt();
        r.getBoolean();
        return r.getOpaque();
    }

    /** READLINK: the link's target. */
    public String readlink(byte[] fh) throws IOException {
        Xdr r = ok("READLINK", call(READLINK, x -> x.putOpaque(fh)));
        skipPostOpAttr(r);
        return r.getString();
    }

    /** CREATE {@code name} in {@code dir} (UNCHECKED, mode {@code mode}): the new file's handle. */
    public byte[] create(byte[] dir, String name, int mode) throws IOException {
        Xdr r = ok("CREATE " + name, call(CREATE, x -> x.putOpaque(dir).putString(name).putInt(0)
                .putInt(1).putInt(mode).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0)));
        if (!r.getBoolean()) {
            return lookup(dir, name);
        }
        return r.getOpaque();
    }

    /** WRITE {@code data} at {@code offset}, UNSTABLE (a COMMIT follows, as from the kernel). */
    public void write(byte[] fh, long offset, byte[] data) throws IOException {
        Xdr r = ok("WRITE", call(WRITE, x -> x.putOpaque(fh).putLong(offset).putInt(data.length).putInt(0).putOpaque(data)));
        skipWcc(r);
        int count = r.getInt();
        if (count != data.length) {
            throw new IOException("WRITE wrote " + count + " of " + data.length + " bytes");
        }
    }

    /** SETATTR of the mode alone. */
    public void chmod(byte[] fh, int mode) throws IOException {
        ok("SETATTR", call(SETATTR, x -> x.putOpaque(fh).putInt(1).putInt(mode).putInt(0).putInt(0).putInt(0)
                .putInt(0).putInt(0).putInt(0)));
    }

    /** RENAME {@code from} in {@code dir} to {@code to} in the same directory. */
    public void rename(byte[] dir, String from, String to) throws IOException {
        ok("RENAME " + from, call(RENAME, x -> x.putOpaque(dir).putString(from).putOpaque(dir).putString(to)));
    }

    /** MKDIR {@code name} in {@code dir}, mode {@code mode}. */
    public void mkdir(byte[] dir, String name, int mode) throws IOException {
        ok("MKDIR " + name, call(MKDIR, x -> x.putOpaque(dir).putString(name).putInt(1).putInt(mode).putInt(0).putInt(0)
                .putInt(0).putInt(0).putInt(0)));
    }

    /** REMOVE {@code name} in {@code dir}. */
    public void remove(byte[] dir, String name) throws IOException {
        ok("REMOVE " + name, call(REMOVE, x -> x.putOpaque(dir).putString(name)));
    }

    /** COMMIT of the whole file. */
    public void commit(byte[] fh) throws IOException {
        ok("COMMIT", call(COMMIT, x -> x.putOpaque(fh).putLong(0).putInt(0)));
    }

    /**
     * READDIRPLUS of one page from the start of folder {@code dir} (dircount 8 KiB, maxcount
     * 32 KiB, Linux's sizes for a 32 KiB page): the names on that page.
     */
    public List<String> readdirplus(byte[] dir) throws IOException {
        Xdr r = ok("READDIRPLUS", call(READDIRPLUS, x -> x.putOpaque(dir).putLong(0).putFixed(new byte[8]).putInt(8192).putInt(32768)));
        skipPostOpAttr(r);
        r.skip(8); // cookieverf
        List<String> names = new ArrayList<>();
        while (r.getBoolean()) {
            r.getLong(); // fileid
            names.add(r.getString());
            r.getLong(); // cookie
            skipPostOpAttr(r);
            if (r.getBoolean()) {
                r.getOpaque();
            }
        }
        return names;
    }

    /** FSINFO. */
    public void fsinfo(byte[] fh) throws IOException {
        ok("FSINFO", call(FSINFO, x -> x.putOpaque(fh)));
    }

    /** GETATTR (the reply's attributes are not decoded). */
    public void getattr(byte[] fh) throws IOException {
        ok("GETATTR", call(GETATTR, x -> x.putOpaque(fh)));
    }

    /** ACCESS asking for read, lookup and execute. */
    public void access(byte[] fh) throws IOException {
        ok("ACCESS", call(ACCESS, x -> x.putOpaque(fh).putInt(0x1 | 0x2 | 0x20)));
    }

    private static void skipPostOpAttr(Xdr r) {
        if (r.getBoolean()) {
            r.skip(84);
        }
    }

    private static void skipWcc(Xdr r) {
        if (r.getBoolean()) {
            r.skip(24);
        }
        skipPostOpAttr(r);
    }

    @Override
    public void close() throws IOException {
        nfs.close();
    }
}
