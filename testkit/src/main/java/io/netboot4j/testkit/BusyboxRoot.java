package io.netboot4j.testkit;

import io.netboot4j.core.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A tiny root filesystem for fast diskless boots: Debian's static busybox
 * ({@code busybox-static}) and an {@code /sbin/init} that mounts {@code /proc}, prints
 * {@link #STARTED} and the kernel command line on the console, writes
 * {@code /nodes/<name>} into the (NFS-mounted) root, prints {@link #WROTE}, and powers the
 * machine off. The name is the host name DHCP gave (Debian's initramfs sets it), else the
 * kernel argument {@code netboot4j.node=<name>}, else the node's address. With the kernel
 * argument {@code netboot4j.stay} it opens a shell on the console instead of powering off.
 *
 * <p>Each report file holds {@code key=value} lines: {@code name}, {@code address},
 * {@code hostname}, {@code uptime} (seconds since the kernel started) and {@code cmdline}.
 */
public final class BusyboxRoot {

    /** The console line {@code /sbin/init} prints first. */
    public static final String STARTED = "NETBOOT4J-INIT started";
    /** The console line prefix after the report file is written. */
    public static final String WROTE = "NETBOOT4J-WROTE";
    /** Matches {@link #WROTE} lines. */
    public static final Pattern WROTE_LINE = Pattern.compile(Pattern.quote(WROTE) + " /nodes/(\\S+)");
    /** Where the nodes write their reports, inside the root. */
    public static final String REPORTS = "nodes";

    private static final List<Path> BUSYBOX = List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    private final Path path;

    private BusyboxRoot(Path path) {
        this.path = path;
    }

    /** Whether Debian's static busybox is installed. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why {@link #available()} is false, naming the Debian package; empty if it is true. */
    public static String unavailableReason() {
        Optional<Path> b = BUSYBOX.stream().filter(Files::isExecutable).findFirst();
        if (b.isEmpty()) {
            return "no busybox: install the Debian package busybox-static";
        }
        if (!isStatic(b.get())) {
            return b.get() + " is dynamically linked: install the Debian package busybox-static";
        }
        return "";
    }

    /**
     * Writes the root into {@code folder} (created if missing): {@code /bin/busybox} with a
     * link per applet, {@code /sbin/init}, and empty {@code /proc /sys /dev /run /tmp /nodes}.
     *
     * @throws IllegalStateException if the static busybox is missing
     */
    public static BusyboxRoot create(Path folder) {
        String why = unavailableReason();
        if (!why.isEmpty()) {
            throw new IllegalStateException(why);
        }
        Path busybox = BUSYBOX.stream().filter(Files::isExecutable).findFirst().orElseThrow();
        try {
            for (String d : List.of("bin", "sbin", "etc", "proc", "sys", "dev", "run", "tmp", "root", REPORTS)) {
                Files.createDirectories(folder.resolve(d));
            }
            Files.setPosixFilePermissions(folder.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
            Path bin = folder.resolve("bin/busybox");
            Files.copy(busybox, bin, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String applet : applets(busybox)) {
                Path link = folder.resolve("bin").resolve(applet);
                if (!applet.equals("busybox") && !applet.equals("init") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            Path init = folder.resolve("sbin/init");
            try (InputStream in = BusyboxRoot.class.getResourceAsStream("busybox-init.sh")) {
                if (in == null) {
                    throw new IllegalStateException("busybox-init.sh is missing from the testkit jar");
                }
                AtomicFiles.write(init, in.readAllBytes(), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(folder.resolve("etc/hostname"), "busybox\n");
            return new BusyboxRoot(folder.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a busybox root into " + folder, e);
        }
    }

    /** The root folder on the host. */
    public Path path() {
        return path;
    }

    /** Every report written so far, by node name. */
    public Map<String, NodeReport> reports() {
        Map<String, NodeReport> out = new TreeMap<>();
        Path dir = path.resolve(REPORTS);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                NodeReport r = NodeReport.read(f);
                out.put(r.name(), r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reports in " + dir, e);
        }
        return out;
    }

    /** The report of node {@code name}, if it wrote one. */
    public Optional<NodeReport> report(String name) {
        return Optional.ofNullable(reports().get(name));
    }

    /** Removes every report (before booting the nodes again). */
    public void clearReports() {
        Path dir = path.resolve(REPORTS);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear reports in " + dir, e);
        }
    }

    private static List<String> applets(Path busybox) {
        CommandResult r = Commands.run(Duration.ofSeconds(30), List.of(busybox.toString(), "--list")).check();
        return r.output().lines().map(String::strip).filter(s -> s.matches("[A-Za-z0-9_.\\[-]+")).toList();
    }

    /** Whether an ELF executable has no program interpreter ({@code PT_INTERP}). */
    static boolean isStatic(Path elf) {
        try {
            byte[] head = new byte[4096];
            int n;
            try (InputStream in = Files.newInputStream(elf)) {
                n = in.readNBytes(head, 0, head.length);
            }
            ByteBuffer b = ByteBuffer.wrap(head, 0, n).order(ByteOrder.LITTLE_ENDIAN);
            if (n < 64 || b.getInt(0) != 0x464C457F || head[4] != 2) {
                return false;
            }
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * phentsize;
                if (at + 4 > n) {
                    return false;
                }
                if (b.getInt((int) at) == 3) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What one node wrote about itself.
     *
     * @param name the name it chose (DHCP host name, {@code netboot4j.node=}, or address)
     * @param address its IPv4 address as it saw it
     * @param hostname its kernel host name ({@code (none)} if DHCP gave none)
     * @param uptime seconds since its kernel started, when it wrote the file
     * @param cmdline its {@code /proc/cmdline}
     * @param file the report file on the host
     */
    public record NodeReport(String name, String address, String hostname, String uptime, String cmdline, Path file) {

        static NodeReport read(Path file) throws IOException {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return new NodeReport(kv.getOrDefault("name", file.getFileName().toString()), kv.getOrDefault("address", ""),
                    kv.getOrDefault("hostname", ""), kv.getOrDefault("uptime", ""), kv.getOrDefault("cmdline", ""), file);
        }

        /** The kernel arguments, split at white space. */
        public List<String> kernelArguments() {
            return cmdline.isBlank() ? List.of() : List.of(cmdline.strip().split("\\s+"));
        }
    }
}
