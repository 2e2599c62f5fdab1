package io.netboot4j.dhcp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.internal.Daemon;
import io.netboot4j.dhcp.internal.KeaControlSocket;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kea run for a cluster (provider {@code kea}): ISC dhcpd's maintained successor. Writes
 * {@code kea-dhcp4.conf} ({@link KeaConfig}) into the work folder, checks it with
 * {@code kea-dhcp4 -t}, and runs {@code kea-dhcp4} on the cluster interface with its lock
 * and pid files in the work folder. A live change re-renders and checks the configuration,
 * then sends {@code config-reload} over Kea's control socket ({@link #controlSocket()}).
 */
public final class KeaDhcp extends ManagedDhcpServer {

    KeaDhcp(ServiceContext context) {
        super(context, "kea DHCP", "kea-dhcp4", "kea-dhcp4.conf", Pattern.compile("DHCP4_STARTED"));
    }

    @Override
    String render(Cluster c, Path folder) {
        return KeaConfig.render(c, folder.resolve("kea-leases4.csv"), c.ports().dhcpServer(), controlSocket());
    }

    /**
     * The daemon's control socket: {@code kea4-ctrl.sock} in the work folder, or in the
     * temporary folder if that path is too long for a Unix socket (107 bytes).
     */
    public Path controlSocket() {
        Path inWork = context.workFolder().toAbsolutePath().resolve("kea4-ctrl.sock");
        return inWork.toString().length() <= 100 ? inWork : Path.of(System.getProperty("java.io.tmpdir"),
                "netboot4j-kea4-" + Integer.toHexString(inWork.toString().hashCode()) + ".sock");
    }

    /** {@code config-reload} over the control socket: Kea reads its (re-rendered, checked) file again; leases are kept. */
    @Override
    Daemon reload(Daemon running, Path config, Path folder) throws IOException {
        KeaControlSocket.command(controlSocket(), "config-reload", START_TIMEOUT);
        return running;
    }

    @Override
    Map<String, String> environment(Path folder) {
        return Map.of("KEA_LOCKFILE_DIR", folder.toString(), "KEA_PIDFILE_DIR", folder.toString());
    }

    @Override
    List<String> checkCommand(Path config) {
        return List.of("kea-dhcp4", "-t", config.toString());
    }

    @Override
    List<String> runCommand(Path config, Path folder) {
        return List.of("kea-dhcp4", "-c", config.toString(), "-p", Integer.toString(cluster().ports().dhcpServer()));
    }
}
