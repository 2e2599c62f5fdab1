package io.netboot4j.dhcp;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.internal.AtomicFiles;
import io.netboot4j.core.internal.Daemon;
import io.netboot4j.core.spi.ServiceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ISC dhcpd run for a cluster (provider {@code isc-dhcpd}): the guide's own DHCP server.
 * Writes {@code dhcpd.conf} ({@link DhcpdConfig}) and the {@code isc-dhcp-server} defaults
 * file into the work folder, checks the configuration with {@code dhcpd -t}, and runs
 * {@code dhcpd -f -d} on the cluster interface. ISC DHCP reached end of life in 2022;
 * prefer {@link KeaDhcp} or the embedded server for new clusters. A live change restarts the
 * daemon on the re-rendered, checked configuration (a second or so without answers; the
 * lease file is kept).
 */
public final class IscDhcpd extends ManagedDhcpServer {

    IscDhcpd(ServiceContext context) {
        super(context, "isc-dhcpd DHCP", "dhcpd", "dhcpd.conf", Pattern.compile("Server starting service"));
    }

    @Override
    void writeCompanions(Path folder) throws IOException {
        AtomicFiles.writeString(folder.resolve("isc-dhcp-server"), DhcpdConfig.interfacesFile(cluster()));
        Path leases = folder.resolve("dhcpd.leases");
        if (!Files.exists(leases)) {
            Files.createFile(leases);
        }
    }

    @Override
    String render(Cluster c, Path folder) {
        return DhcpdConfig.render(c);
    }

    /** dhcpd reads its configuration only at start: it is restarted; the lease file keeps its leases. */
    @Override
    Daemon reload(Daemon running, Path config, Path folder) throws IOException {
        running.close();
        return startDaemon(config, folder);
    }

    @Override
    List<String> checkCommand(Path config) {
        return List.of("dhcpd", "-t", "-4", "-q", "-cf", config.toString());
    }

    @Override
    List<String> runCommand(Path config, Path folder) {
        List<String> cmd = new ArrayList<>(List.of("dhcpd", "-f", "-d", "-4", "-cf", config.toString(),
                "-lf", folder.resolve("dhcpd.leases").toString(), "-pf", folder.resolve("dhcpd.pid").toString()));
        if (cluster().ports().dhcpServer() != 67) {
            cmd.addAll(List.of("-p", Integer.toString(cluster().ports().dhcpServer())));
        }
        cmd.add(cluster().network().interfaceName());
        return cmd;
    }
}
