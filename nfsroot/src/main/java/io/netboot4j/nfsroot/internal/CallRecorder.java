package io.netboot4j.nfsroot.internal;

import io.netboot4j.nfsroot.internal.XdrIn.GarbageArgsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A debug option: one line per NFS call answered, appended to a file, to learn what a
 * booting node reads and writes (testkit's storm working set is made from such a file).
 * Off unless the system property {@value #PROPERTY} names the file. A line:
 * {@code <client address> <status> <PROCEDURE> <path> [<offset> <bytes>] [<new path>]}, paths
 * relative to the export ({@code /} is its root); READ gives the bytes returned, WRITE the
 * bytes sent; LOOKUP, CREATE, MKDIR, SYMLINK, MKNOD, REMOVE and RMDIR name the entry (folder
 * plus name), RENAME both entries, LINK the file and the new entry.
 */
final class CallRecorder {

    /** The system property naming the file calls are appended to. */
    static final String PROPERTY = "netboot4j.nfs.recordCalls";

    private static final int FATTR3_BYTES = 84;

    private final Writer out;
    private final Path root;

    private CallRecorder(Writer out, Path root) {
        this.out = out;
        this.root = root;
    }

    /** The recorder the system property asks for, or null when it is not set. */
    static CallRecorder fromSystemProperty(Path root) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            return new CallRecorder(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + PROPERTY + " file " + file, e);
        }
    }

    /**
     * Records one answered call.
     *
     * @param args the call's arguments, unread
     * @param opened the files the call resolved from its handles, in order, still open
     * @param reply the reply body (status first)
     */
    void record(int proc, XdrIn args, List<FileIndex.Found> opened, XdrOut reply, Caller caller) {
        if (opened.isEmpty() || reply.size() < 4) {
            return;
        }
        ByteBuffer r = ByteBuffer.wrap(reply.array(), 0, reply.size());
        int status = r.getInt();
        StringBuilder line = new StringBuilder().append(caller.address().getHostAddress()).append(' ').append(status)
                .append(' ').append(Nfs3.NAMES.get(proc)).append(' ');
        String first = path(opened.getFirst());
        try {
            args.readOpaque(64);
            switch (proc) {
                case Nfs3.LOOKUP, Nfs3.CREATE, Nfs3.MKDIR, Nfs3.SYMLINK, Nfs3.MKNOD, Nfs3.REMOVE, Nfs3.RMDIR ->
                        line.append(child(first, args.readString(4096)));
                case Nfs3.RENAME -> {
                    line.append(child(first, args.readString(4096)));
                    args.readOpaque(64);
                    line.append(' ').append(child(opened.size() > 1 ? path(opened.get(1)) : first, args.readString(4096)));
                }
                case Nfs3.LINK -> {
                    args.readOpaque(64);
                    line.append(first).append(' ').append(child(opened.size() > 1 ? path(opened.get(1)) : "?", args.readString(4096)));
                }
                case Nfs3.READ -> {
                    long offset = args.readLong();
                    int bytes = 0;
                    if (status == Nfs3.OK && r.remaining() >= 4) {
                        // post_op_attr, then the count of bytes returned
                        if (r.getInt() != 0) {
                            r.position(r.position() + FATTR3_BYTES);
                        }
                        bytes = r.getInt();
                    }
                    line.append(first).append(' ').append(offset).append(' ').append(bytes);
                }
                case Nfs3.WRITE -> line.append(first).append(' ').append(args.readLong()).append(' ').append(Integer.toUnsignedLong(args.readInt()));
                default -> line.append(first);
            }
        } catch (GarbageArgsException | RuntimeException e) {
            line.append(first).append(" (arguments not decoded)");
        }
        synchronized (this) {
            try {
                out.write(line.append('\n').toString());
                out.flush();
            } catch (IOException e) {
                // a debug aid: a full disk must not fail the call
            }
        }
    }

    private String path(FileIndex.Found f) {
        Path real = f.real();
        return real.startsWith(root) ? "/" + root.relativize(real) : real.toString();
    }

    private static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
