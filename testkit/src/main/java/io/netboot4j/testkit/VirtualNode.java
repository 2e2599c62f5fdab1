package io.netboot4j.testkit;

import io.netboot4j.core.internal.Processes;
import io.netboot4j.core.MacAddress;
import io.netboot4j.testkit.internal.Requirements;
import io.netboot4j.testkit.internal.SerialConsole;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A diskless PC in a {@link NetworkNamespace}: {@code qemu-system-x86_64} in software
 * emulation (no KVM, so it runs on any CI machine), one Intel e1000 card whose option ROM
 * is iPXE (Debian's {@code ipxe-qemu}), booting from the network ({@code -boot n}) through
 * a tap device on the head's bridge. The serial console (kernel argument
 * {@code console=ttyS0}) is captured line by line; {@link #awaitConsole(Pattern, Duration)}
 * waits for a line. The machine never reboots ({@code -no-reboot}): a guest that powers
 * off or reboots ends the process. {@link #close()} kills it.
 *
 * {@snippet :
 * try (NetworkNamespace ns = NetworkNamespace.create("nb-demo")) {
 *     ns.addBridge("br0", "10.99.0.1/24");
 *     // ... start the cluster's servers with networkSeam(ns.seam()) ...
 *     try (VirtualNode node = VirtualNode.builder(ns, MacAddress.parse("52:54:00:12:34:01"))
 *             .bridge("br0").start()) {
 *         node.awaitConsole(Pattern.compile("Linux version"), Duration.ofMinutes(3));
 *     }
 * }
 * }
 *
 * <p>With {@link Builder#firmware(Firmware)} {@link Firmware#UEFI} or
 * {@link Firmware#UEFI_SECURE_BOOT} the node is a UEFI machine instead: OVMF firmware (Debian's
 * {@code ovmf}), a virtio-net card whose option ROM is disabled ({@code romfile=}), so the
 * firmware's own PXE and HTTP Boot run, as on most servers, and a private copy of the
 * firmware's variable store.
 *
 * <p>Needs root and the Debian packages {@code qemu-system-x86} and {@code ipxe-qemu}
 * ({@code ovmf} for UEFI); check {@link #available()} or {@link #unavailableReason(Firmware)} first.
 */
public final class VirtualNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualNode.class);
    /** QEMU processes still running, killed if the JVM exits before their node is closed. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    /** The QEMU executable. */
    public static final String QEMU = "qemu-system-x86_64";

    private final String name;
    private final MacAddress mac;
    private final String tap;
    private final NetworkNamespace namespace;
    private final boolean ownsTap;
    private final Process process;
    private final Instant startedAt;
    private final long startedNanos;
    private final SerialConsole console;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<String> command;
    private final Firmware firmware;
    private final Path firmwareVariables;

    private VirtualNode(Builder b, Process process, List<String> command, OutputStream consoleLog, Path firmwareVariables) {
        this.name = b.name;
        this.mac = b.mac;
        this.tap = b.tap;
        this.namespace = b.namespace;
        this.ownsTap = b.bridge != null;
        this.process = process;
        this.command = List.copyOf(command);
        this.firmware = b.firmware;
        this.firmwareVariables = firmwareVariables;
        this.startedAt = Instant.now();
        this.startedNanos = System.nanoTime();
        RUNNING.add(process);
        this.console = new SerialConsole("virtual node " + name, process.getInputStream(), consoleLog, startedNanos);
    }

    /** Whether QEMU can run here: root (for the tap), QEMU installed. */
    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** Why {@link #available()} is false, naming the Debian package to install; empty if it is true. */
    public static String unavailableReason() {
        return Requirements.after(NetworkNamespace.unavailableReason())
                .command(QEMU, "virtual nodes need " + QEMU + " from the Debian package qemu-system-x86")
                .holds(Files.exists(Path.of("/usr/lib/ipxe/qemu")) || Files.exists(Path.of("/usr/share/qemu/pxe-e1000.rom")),
                        "virtual nodes need the iPXE option ROMs from the Debian package ipxe-qemu")
                .holds(Files.exists(Path.of("/dev/net/tun")), "virtual nodes need /dev/net/tun (tap devices)")
                .reason();
    }

    /**
     * Why a node with {@code firmware} cannot run here, naming the Debian package to install;
     * empty if it can.
     */
    public static String unavailableReason(Firmware firmware) {
        String base = unavailableReason();
        if (!base.isEmpty() || firmware == Firmware.BIOS) {
            return base;
        }
        for (Path p : firmware.files()) {
            if (!Files.isReadable(p)) {
                return "UEFI virtual nodes need " + p + " from the Debian package ovmf";
            }
        }
        return "";
    }

    /**
     * Starts describing a node.
     *
     * @param namespace the namespace whose bridge the node is plugged into
     * @param mac the MAC address of its network card
     */
    public static Builder builder(NetworkNamespace namespace, MacAddress mac) {
        return new Builder(namespace, mac);
    }

    /** The node's name (for logs and thread names). */
    public String name() {
        return name;
    }

    /** The MAC address of its network card. */
    public MacAddress mac() {
        return mac;
    }

    /** The firmware it boots with. */
    public Firmware firmware() {
        return firmware;
    }

    /** The tap device it is plugged into. */
    public String tap() {
        return tap;
    }

    /** The QEMU command line, as started inside the namespace. */
    public List<String> command() {
        return command;
    }

    /** When QEMU was started: the node's power-on. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Time since power-on. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Whether QEMU still runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Waits for QEMU to end (the guest powered off or rebooted).
     *
     * @return its exit code
     * @throws TimeoutException if it still runs after {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("virtual node " + name + " still runs after " + timeout + "; console tail:\n" + consoleTail(15));
        }
        console.join(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** Every complete console line so far, escape sequences removed. */
    public List<String> console() {
        return console.lines().stream().map(ConsoleLine::text).toList();
    }

    /** The console lines so far, with the time after power-on each arrived. */
    public List<ConsoleLine> consoleLines() {
        return console.lines();
    }

    /** The last {@code n} lines (and the unfinished one), joined with newlines, for messages. */
    public String consoleTail(int n) {
        return console.tail(n);
    }

    /**
     * Waits until a console line matches {@code pattern} ({@link Matcher#find()}), looking at
     * every line since power-on and at the unfinished last line once the console has been
     * quiet for half a second (a {@code login:} prompt ends without a newline).
     *
     * @return the first matching line and when it arrived
     * @throws TimeoutException with the console's tail, if no line matched in time or QEMU ended first
     */
    public ConsoleLine awaitConsole(Pattern pattern, Duration timeout) throws InterruptedException, TimeoutException {
        return awaitConsole(pattern, 0, timeout);
    }

    /**
     * Like {@link #awaitConsole(Pattern, Duration)}, looking only at lines from index
     * {@code fromLine} on (see {@link ConsoleLine#index()}).
     */
    public ConsoleLine awaitConsole(Pattern pattern, int fromLine, Duration timeout) throws InterruptedException, TimeoutException {
        return console.await(pattern, fromLine, timeout, () -> "QEMU exit " + (process.isAlive() ? "?" : process.exitValue()));
    }

    /**
     * Types {@code text} on the serial console (for example a user name at a login prompt).
     *
     * @throws UncheckedIOException if QEMU no longer reads its input
     */
    public void type(String text) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot type on the console of " + name, e);
        }
    }

    /** Kills QEMU (SIGTERM, then SIGKILL after 5 s) and removes the tap it made; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (process.isAlive()) {
            Processes.stop(process, Duration.ofSeconds(5));
        }
        RUNNING.remove(process);
        try {
            console.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (firmwareVariables != null) {
            try {
                Files.deleteIfExists(firmwareVariables);
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", firmwareVariables, e.toString());
            }
        }
        if (ownsTap) {
            CommandResult r = Commands.run(Duration.ofSeconds(30), List.of("ip", "-n", namespace.name(), "link", "del", tap));
            if (!r.ok()) {
                LOG.debug("could not remove tap {}: {}", tap, r.output());
            }
        }
        LOG.debug("virtual node {} closed after {}", name, uptime());
    }

    @Override
    public String toString() {
        return "VirtualNode[" + name + " " + mac + " on " + tap + "]";
    }

    /**
     * One line of a node's serial console.
     *
     * @param index its position, from 0 at power-on
     * @param at when it arrived, after power-on
     * @param text its text, escape sequences and control characters removed
     */
    public record ConsoleLine(int index, Duration at, String text) {
    }

    /**
     * The firmware a {@link VirtualNode} boots with. UEFI nodes run OVMF from Debian's
     * {@code ovmf} (the 4 MiB builds) on a {@code q35} machine, with a virtio-net card whose
     * option ROM is disabled: OVMF's own driver and its own PXE and HTTP Boot run, not iPXE.
     */
    public enum Firmware {
        /** SeaBIOS and the e1000 card's iPXE option ROM (Debian's {@code ipxe-qemu}): the default. */
        BIOS(List.of()),
        /** OVMF without Secure Boot: {@code OVMF_CODE_4M.fd} and a copy of {@code OVMF_VARS_4M.fd}. */
        UEFI(List.of(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"))),
        /**
         * OVMF with Secure Boot on: {@code OVMF_CODE_4M.secboot.fd} (SMM on) and a copy of
         * {@code OVMF_VARS_4M.ms.fd}, whose key store holds Microsoft's keys, so a loader
         * signed by Microsoft's UEFI CA (Debian's {@code shim-signed}) is the only way in.
         */
        UEFI_SECURE_BOOT(List.of(Path.of("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"), Path.of("/usr/share/OVMF/OVMF_VARS_4M.ms.fd")));

        private final List<Path> files;

        Firmware(List<Path> files) {
            this.files = files;
        }

        /** The firmware's code and its variable-store template; empty for {@link #BIOS}. */
        public List<Path> files() {
            return files;
        }
    }

    /** Describes a {@link VirtualNode}; {@link #start()} powers it on. */
    public static final class Builder {

        private final NetworkNamespace namespace;
        private final MacAddress mac;
        private String name;
        private String tap;
        private String bridge;
        private String memory = "512M";
        private Firmware firmware = Firmware.BIOS;
        private Path consoleLog;
        private final List<String> extraArguments = new ArrayList<>();

        private Builder(NetworkNamespace namespace, MacAddress mac) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            this.mac = Objects.requireNonNull(mac, "mac");
            this.name = "node-" + mac.format('-');
        }

        /** A name for logs; default {@code node-<mac>}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a virtual node's name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * The tap device QEMU uses. With {@link #bridge(String)} it is created, attached and
         * removed on close; without, it must already exist in the namespace. Default
         * {@code t} and the MAC's last three bytes in hex.
         */
        public Builder tap(String tap) {
            if (tap == null || !tap.matches("[A-Za-z0-9_.-]{1,15}")) {
                throw new IllegalArgumentException("tap name '" + tap + "' is not a Linux interface name (1-15 of A-Z a-z 0-9 _ . -)");
            }
            this.tap = tap;
            return this;
        }

        /** The bridge (the head's cluster interface) to plug a new tap into. */
        public Builder bridge(String bridge) {
            this.bridge = Objects.requireNonNull(bridge, "bridge");
            return this;
        }

        /** Guest memory in QEMU's syntax; default {@code 512M} (the stock initrd needs about 300M). */
        public Builder memory(String memory) {
            if (memory == null || !memory.matches("[0-9]+[MG]")) {
                throw new IllegalArgumentException("memory '" + memory + "' is not a QEMU size such as 512M");
            }
            this.memory = memory;
            return this;
        }

        /** The firmware; default {@link Firmware#BIOS} (iPXE option ROM). */
        public Builder firmware(Firmware firmware) {
            this.firmware = Objects.requireNonNull(firmware, "firmware");
            return this;
        }

        /** A file that receives the raw console output as well. */
        public Builder consoleLog(Path file) {
            this.consoleLog = file;
            return this;
        }

        /** More QEMU arguments, appended. */
        public Builder qemuArguments(String... arguments) {
            extraArguments.addAll(List.of(arguments));
            return this;
        }

        /**
         * Powers the node on.
         *
         * @throws IllegalStateException if QEMU is missing or the tap cannot be made
         */
        public VirtualNode start() {
            String unavailable = unavailableReason(firmware);
            if (!Commands.exists(QEMU) || !unavailable.isEmpty()) {
                throw new IllegalStateException(unavailable);
            }
            if (tap == null) {
                byte[] b = mac.toBytes();
                tap = String.format("t%02x%02x%02x", b[3] & 0xFF, b[4] & 0xFF, b[5] & 0xFF);
            }
            if (bridge != null) {
                namespace.addTap(tap, bridge);
            }
            Path variables = null;
            List<String> command = null;
            OutputStream log = null;
            try {
                if (firmware != Firmware.BIOS) {
                    variables = Files.createTempFile("ovmf-vars-" + tap + "-", ".fd");
                    Files.copy(firmware.files().get(1), variables, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                List<String> qemu = new ArrayList<>(List.of(QEMU));
                qemu.addAll(machine(variables));
                qemu.addAll(List.of("-cpu", "qemu64", "-m", memory, "-smp", "1",
                        "-nographic", "-serial", "stdio", "-monitor", "none", "-nodefaults", "-vga", "none",
                        "-netdev", "tap,id=n0,ifname=" + tap + ",script=no,downscript=no"));
                qemu.addAll(networkCard());
                qemu.addAll(List.of("-no-reboot", "-name", name));
                qemu.addAll(extraArguments);
                command = namespace.wrap(qemu.toArray(String[]::new));
                if (consoleLog != null) {
                    Files.createDirectories(consoleLog.toAbsolutePath().getParent());
                    log = Files.newOutputStream(consoleLog, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
                }
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                LOG.info("virtual node {} ({}, {}) powered on, tap {} in {}", name, mac, firmware, tap, namespace.name());
                return new VirtualNode(this, p, command, log, variables);
            } catch (IOException e) {
                if (bridge != null) {
                    Commands.run(Duration.ofSeconds(30), List.of("ip", "-n", namespace.name(), "link", "del", tap));
                }
                if (variables != null) {
                    try {
                        Files.deleteIfExists(variables);
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw new UncheckedIOException("cannot start " + (command == null ? QEMU : String.join(" ", command)), e);
            }
        }

        /** The machine and firmware: SeaBIOS on {@code pc}, or OVMF's two flash chips on {@code q35}. */
        private List<String> machine(Path variables) {
            if (firmware == Firmware.BIOS) {
                return List.of("-machine", "pc");
            }
            List<String> out = new ArrayList<>(firmware == Firmware.UEFI
                    ? List.of("-machine", "q35")
                    // Secure Boot's variable store must be reachable only in SMM, or the OS could rewrite the keys.
                    : List.of("-machine", "q35,smm=on", "-global", "driver=cfi.pflash01,property=secure,value=on"));
            out.addAll(List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + firmware.files().get(0),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + variables));
            return out;
        }

        /**
         * BIOS: an e1000 with its iPXE ROM, {@code -boot n}. UEFI: virtio-net (OVMF has a driver
         * for it, none for the e1000) with {@code romfile=} so QEMU loads no iPXE ROM, first in
         * the boot order.
         */
        private List<String> networkCard() {
            return firmware == Firmware.BIOS
                    ? List.of("-device", "e1000,netdev=n0,mac=" + mac.format(':'), "-boot", "n")
                    : List.of("-device", "virtio-net-pci,netdev=n0,mac=" + mac.format(':') + ",romfile=,bootindex=1");
        }

    }
}
