package io.netboot4j.tftp.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write transfer into the upload folder, lock-step (no {@code windowsize}): each DATA is
 * acknowledged; a repeated DATA is acknowledged again; the file is written to a temporary
 * file and moved into place when complete. Existing files are never replaced.
 */
final class WriteSession extends Session {

    private static final Logger LOG = LoggerFactory.getLogger(WriteSession.class);

    WriteSession(TftpEngine engine, DatagramChannel channel, InetSocketAddress client, TftpPacket.Request request)
            throws IOException {
        super(engine, channel, client, request);
    }

    @Override
    void run() {
        String shown = TftpNames.printable(request.filename());
        if (engine.settings.uploads().isEmpty()) {
            refuse(TftpPacket.ERR_ACCESS, "Access violation: uploads are disabled", shown);
            return;
        }
        Path folder = engine.settings.uploads().get().toAbsolutePath().normalize();
        Path target;
        try {
            TftpNames.Checked c = TftpNames.check(request.filename());
            target = folder.resolve(c.name()).normalize();
            if (!target.startsWith(folder) || !Files.isDirectory(target.getParent())
                    || !target.getParent().toRealPath().startsWith(folder.toRealPath())) {
                throw new AccessDeniedException(shown, null, "outside the upload folder");
            }
        } catch (AccessDeniedException e) {
            refuse(TftpPacket.ERR_ACCESS, "Access violation: " + e.getReason(), shown);
            return;
        } catch (IOException e) {
            refuse(TftpPacket.ERR_ACCESS, "Access violation: upload folder unavailable", shown);
            return;
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            refuse(TftpPacket.ERR_EXISTS, "File already exists", shown);
            return;
        }
        negotiateCommon();
        granted.remove("windowsize"); // uploads are lock-step
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), ".upload-", ".part");
            String failure;
            try (OutputStream out = Files.newOutputStream(temp)) {
                failure = receive(out);
            }
            if (failure == null) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
                send(finalAck, finalAck.length);
                engine.completed.increment();
                LOG.info("{}: received {} from {}", engine.settings.name(), target, client);
            } else {
                engine.failed.increment();
                LOG.info("{}: upload of {} from {} failed: {}", engine.settings.name(), shown, client, failure);
            }
        } catch (IOException e) {
            engine.failed.increment();
            sendError(TftpPacket.ERR_DISK_FULL, "cannot store the file");
            LOG.warn("{}: upload of {} from {} failed: {}", engine.settings.name(), shown, client, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", temp, e.toString());
                }
            }
        }
    }

    @Override
    String tsize(String requested) {
        // in a write request tsize is the size the client will send: echo it (RFC 2349)
        long n = parse(requested);
        return n >= 0 ? Long.toString(n) : null;
    }

    private void refuse(int code, String message, String shown) {
        engine.refused.increment();
        sendError(code, message);
        LOG.info("{}: refused upload of {} from {}: {}", engine.settings.name(), shown, client, message);
    }

    private long expected;
    private byte[] finalAck;

    private String receive(OutputStream out) throws IOException {
        byte[] reply = granted.isEmpty() ? TftpPacket.ack(0) : TftpPacket.oack(granted);
        send(reply, reply.length);
        expected = 1;
        long deadline = System.nanoTime() + rto;
        while (true) {
            TftpPacket p = receive(deadline);
            if (p == null) {
                if (silent() || !engine.running()) {
                    return "client silent";
                }
                backOff();
                send(reply, reply.length);
                deadline = System.nanoTime() + rto;
                continue;
            }
            switch (p) {
                case TftpPacket.Data d when d.block() == (int) (expected & 0xFFFF) -> {
                    if (d.length() > blockSize) {
                        sendError(TftpPacket.ERR_ILLEGAL, "block larger than the block size");
                        return "block larger than the block size";
                    }
                    heard();
                    out.write(in, 4, d.length());
                    reply = TftpPacket.ack(d.block());
                    if (d.length() < blockSize) {
                        finalAck = reply; // sent once the file is in place
                        return null;
                    }
                    send(reply, reply.length);
                    deadline = System.nanoTime() + rto;
                    expected++;
                }
                case TftpPacket.Data d when d.block() == (int) ((expected - 1) & 0xFFFF) -> {
                    // our ACK was lost: acknowledge again (never twice for one DATA arrival)
                    send(reply, reply.length);
                }
                case TftpPacket.Error e -> {
                    return "client sent error " + e.code() + " " + TftpNames.printable(e.message());
                }
                default -> {
                    // ignore
                }
            }
        }
    }
}
