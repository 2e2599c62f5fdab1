package io.netboot4j.dhcp;

import io.netboot4j.core.internal.AtomicFiles;
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
 * and pid files in the work folder.
 */
public final class KeaDhcp extends ManagedDhcpServer {

    KeaDhcp(ServiceContext context) {
        super(context, "kea DHCP", "kea-dhcp4", "kea-dhcp4.conf", Pattern.compile("DHCP4_STARTED"));
    }

    @Override
    Path writeConfiguration(Path folder) throws IOException {
        Path conf = configurationFile();
        String text = KeaConfig.render(cluster, folder.resolve("kea-leases4.csv"), cluster.ports().dhcpServer());
        AtomicFiles.writeString(conf, text);
        return conf;
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
        return List.of("kea-dhcp4", "-c", config.toString(), "-p", Integer.toString(cluster.ports().dhcpServer()));
    }
}
