package io.netboot4j.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netboot4j.core.BootEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Real TFTP clients from Debian packages fetch files from the embedded server, byte for byte. */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealClientsTest {

    @TempDir
    static Path work;
    Path root;
    Path uploads;
    TftpServer server;
    String port;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws IOException {
        root = Files.createDirectories(work.resolve("root"));
        uploads = Files.createDirectories(work.resolve("uploads"));
        write(root.resolve("data.bin"), 1 << 20, 1);
        write(root.resolve("exact.bin"), 512 * 64, 2); // a multiple of the block size: ends with an empty block
        Files.createDirectories(root.resolve("pxelinux.cfg"));
        Files.writeString(root.resolve("pxelinux.cfg/default"), "LABEL linux\nKERNEL vmlinuz\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("line ").append(i).append(i % 7 == 0 ? "\r" : "").append("\n");
        }
        Files.writeString(root.resolve("text.txt"), text);
        server = TftpServer.builder().source(TftpSource.folder(root))
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .events(events::add).build();
        server.start();
        port = Integer.toString(server.localAddress().getPort());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static void write(Path file, long size, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, size - done));
            }
        }
    }

    Path out(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve("out"));
        Path p = dir.resolve(name);
        Files.deleteIfExists(p);
        return p;
    }

    @Test
    void tftpHpaBinary() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path out = out("hpa.bin");
        var r = Peers.run(work, null, 60, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", "data.bin", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        Peers.assertSameBytes(root.resolve("data.bin"), out);
        out = out("exact.bin");
        r = Peers.run(work, null, 60, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", "exact.bin", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        Peers.assertSameBytes(root.resolve("exact.bin"), out);
    }

    @Test
    void tftpHpaNetascii() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path out = out("text.txt");
        var r = Peers.run(work, null, 60, "tftp", "-m", "ascii", "127.0.0.1", port, "-c", "get", "text.txt", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        // the client turns netascii back into local text: the same bytes
        Peers.assertSameBytes(root.resolve("text.txt"), out);
    }

    @Test
    void tftpHpaFetchesAFileInASubfolder() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path out = out("default");
        var r = Peers.run(work, null, 60, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", "pxelinux.cfg/default", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.readString(out)).isEqualTo("LABEL linux\nKERNEL vmlinuz\n");
    }

    @Test
    void eventsNameTheFileAndItsSize() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path out = out("event.bin");
        events.clear();
        var r = Peers.run(work, null, 60, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", "data.bin", out.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.stream().noneMatch(e -> e instanceof BootEvent.FileSent) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(BootEvent.FileSent.class, s -> {
            assertThat(s.file()).isEqualTo("data.bin");
            assertThat(s.bytes()).isEqualTo(1 << 20);
        }));
    }

    @Test
    void busyboxWithBlksize() throws Exception {
        Peers.require("busybox", "busybox-static");
        for (String blksize : List.of("1468", "8192")) {
            Path out = out("bb-" + blksize + ".bin");
            var r = Peers.run(work, null, 60, "busybox", "tftp", "-g", "-b", blksize, "-r", "data.bin", "-l", out.toString(),
                    "127.0.0.1", port);
            assertThat(r.exit()).as(r.output()).isZero();
            Peers.assertSameBytes(root.resolve("data.bin"), out);
        }
    }

    @Test
    void atftpWithBlksizeAndWindowsize() throws Exception {
        Peers.require("atftp", "atftp");
        for (List<String> options : List.of(List.<String>of(), List.of("--option", "blksize 1468"),
                List.of("--option", "blksize 1468", "--option", "windowsize 16"),
                List.of("--option", "tsize", "--option", "blksize 8192", "--option", "windowsize 4"))) {
            Path out = out("atftp.bin");
            List<String> cmd = new java.util.ArrayList<>(List.of("atftp", "--get", "-r", "data.bin", "-l", out.toString()));
            cmd.addAll(options);
            cmd.addAll(List.of("127.0.0.1", port));
            var r = Peers.run(work, null, 60, cmd.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
            Peers.assertSameBytes(root.resolve("data.bin"), out);
        }
    }

    @Test
    void curlWithAndWithoutBlksize() throws Exception {
        Peers.require("curl", "curl");
        for (List<String> options : List.of(List.<String>of(), List.of("--tftp-blksize", "1468"), List.of("--tftp-blksize", "65464"))) {
            Path out = out("curl.bin");
            List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "-o", out.toString()));
            cmd.addAll(options);
            cmd.add("tftp://127.0.0.1:" + port + "/data.bin");
            var r = Peers.run(work, null, 60, cmd.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
            Peers.assertSameBytes(root.resolve("data.bin"), out);
        }
    }

    @Test
    void escapesAreRefusedToRealClients() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path secret = Files.writeString(work.resolve("secret.txt"), "do not serve\n");
        Files.createSymbolicLink(root.resolve("link-out"), secret);
        for (String name : List.of("../secret.txt", "pxelinux.cfg/../../secret.txt", "/etc/passwd", "link-out",
                secret.toString())) {
            Path out = out("escape");
            var r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", name, out.toString());
            assertThat(r.output()).as("get " + name).contains("Error code 2");
            assertThat(!Files.exists(out) || Files.size(out) == 0).as("nothing written for " + name).isTrue();
        }
    }

    @Test
    void uploadsAreRefusedByDefault() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path local = Files.writeString(work.resolve("up.txt"), "upload\n");
        var r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "put", local.toString(), "up.txt");
        assertThat(r.output()).contains("Error code 2").contains("uploads are disabled");
        assertThat(root.resolve("up.txt")).doesNotExist();
    }

    @Test
    void uploadsGoIntoTheirOwnFolderWhenEnabled() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path local = work.resolve("up.bin");
        write(local, 100_000, 5);
        try (TftpServer up = TftpServer.builder().source(TftpSource.folder(root)).uploads(uploads)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build()) {
            up.start();
            String p = Integer.toString(up.localAddress().getPort());
            var r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", p, "-c", "put", local.toString(), "up.bin");
            assertThat(r.exit()).as(r.output()).isZero();
            Peers.assertSameBytes(local, uploads.resolve("up.bin"));
            assertThat(root.resolve("up.bin")).doesNotExist();
            r = Peers.run(work, null, 30, "tftp", "-m", "binary", "127.0.0.1", p, "-c", "put", local.toString(), "up.bin");
            assertThat(r.output()).as("no overwrite").contains("Error code 6");
        }
    }

    @Test
    void fortyMebibytesAtBlksize512RollOverTheBlockNumber() throws Exception {
        Peers.require("tftp", "tftp-hpa");
        Path big = root.resolve("initrd-40m.img");
        write(big, 40L << 20, 3);
        try {
            Path out = out("initrd-40m.img");
            // tftp-hpa asks for no options: 512-byte blocks, 81920 of them, past 65535
            var r = Peers.run(work, null, 240, "tftp", "-m", "binary", "127.0.0.1", port, "-c", "get", "initrd-40m.img", out.toString());
            assertThat(r.exit()).as(r.output()).isZero();
            Peers.assertSameBytes(big, out);
            Files.delete(out);
        } finally {
            Files.delete(big);
        }
    }

    @Test
    void malformedDatagramsAreDroppedAndCounted() throws Exception {
        long before = server.statistics().malformed();
        try (RawClient c = new RawClient()) {
            c.send("hello".getBytes(StandardCharsets.US_ASCII), server.localAddress());
            c.send(new byte[] {0, 1, 'x'}, server.localAddress());
            c.send(new byte[] {0, 4, 0, 1}, server.localAddress());
            assertThat(c.receive(300)).isNull();
        }
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.statistics().malformed() < before + 3 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.statistics().malformed()).isEqualTo(before + 3);
    }
}
