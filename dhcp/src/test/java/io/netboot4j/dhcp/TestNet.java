package io.netboot4j.dhcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netboot4j.testkit.CommandResult;
import io.netboot4j.testkit.Commands;
import io.netboot4j.testkit.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A head namespace with the cluster bridge br0 (10.77.0.1/24) and a second bridge br1
 * (10.78.0.1/24) that is not the cluster's, and client namespaces wired to either by veth.
 */
final class TestNet implements AutoCloseable {

    final NetworkNamespace head;
    private final List<NetworkNamespace> clients = new ArrayList<>();

    TestNet() {
        head = NetworkNamespace.create("nb-dhcp");
        try {
            head.addBridge("br0", "10.77.0.1/24");
            head.addBridge("br1", "10.78.0.1/24");
        } catch (RuntimeException e) {
            head.close();
            throw e;
        }
    }

    /** A client namespace whose eth0 (with {@code mac}) is plugged into {@code bridge} of the head. */
    NetworkNamespace client(String bridge, String mac) {
        NetworkNamespace c = NetworkNamespace.create("nb-dhcp");
        clients.add(c);
        String inside = "v" + clients.size() + bridge;
        head.addVeth(inside, "eth0", bridge, c);
        c.ip("link", "set", "eth0", "down");
        c.ip("link", "set", "eth0", "address", mac);
        c.ip("link", "set", "eth0", "up");
        return c;
    }

    @Override
    public void close() {
        for (NetworkNamespace c : clients) {
            c.close();
        }
        head.close();
    }

    /** Skips the calling test unless network namespaces and busybox's udhcpc are at hand. */
    static void assumeUdhcpc() {
        assumeTrue(NetworkNamespace.available(), NetworkNamespace.unavailableReason());
        assumeTrue(Commands.exists("busybox"), "udhcpc needs busybox from the Debian package busybox-static");
    }

    /** A udhcpc/dhclient hook script that prints its reason and environment. */
    static Path envScript(Path dir) throws IOException {
        Path script = dir.resolve("print-env.sh");
        Files.writeString(script, "#!/bin/sh\necho \"HOOK $1 $reason\"\nenv | sort | sed 's/^/ENV /'\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Runs busybox udhcpc once on eth0 of {@code client}: at most 3 DISCOVERs a second apart. */
    static CommandResult udhcpc(NetworkNamespace client, Path script) {
        return client.exec(Duration.ofSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "3", "-T", "1",
                "-i", "eth0", "-s", script.toString(), "-O", "rootpath", "-O", "bootfile");
    }

    /** The environment the hook saw at its last call with {@code event} ("bound" for udhcpc, "BOUND" for dhclient). */
    static Map<String, String> envAt(String output, String event) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("HOOK ")) {
                current = line.contains(" " + event) ? new LinkedHashMap<>() : null;
                if (current != null) {
                    env = current;
                }
            } else if (current != null && line.startsWith("ENV ")) {
                String kv = line.substring(4);
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    current.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        return env;
    }
}
