package io.netboot4j.kerrighed;

import io.netboot4j.core.Cluster;
import io.netboot4j.core.ClusterBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The guide's text (a copy in the test resources) and its six-node cluster. */
final class Guide {

    private Guide() {
    }

    static String text() {
        try (InputStream in = Guide.class.getResourceAsStream("/kerrighed-diskless-guide.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines() {
        return text().lines().toList();
    }

    /** The {@code count} lines that follow the first line equal to {@code marker} (stripped). */
    static List<String> linesAfter(String marker, int count) {
        List<String> all = lines();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).strip().equals(marker)) {
                return all.subList(i + 1, i + 1 + count);
            }
        }
        throw new AssertionError("the guide has no line '" + marker + "'");
    }

    /** The first line starting with {@code prefix}. */
    static String lineStarting(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("the guide has no line starting with '" + prefix + "'"));
    }

    /** The guide's cluster: six nodes 192.168.1.101-106 (with unicast MACs). */
    static ClusterBuilder clusterBuilder() {
        return Cluster.builder("kerrighed")
                .network(n -> n.interfaceName("eth0").subnet("192.168.1.0/24").server("192.168.1.1")
                        .domain("kerrighed").serverName("kerrighedserver"))
                .nodes("kerrighednode%d", 6, "02:2D:61:C7:17:86", "192.168.1.101")
                .boot(b -> b.kernel(Path.of("/var/lib/tftpboot/vmlinuz-2.6.20-krg")).append("console=tty1"))
                .rootFilesystem(r -> r.path("/nfsroot/kerrighed").readWrite());
    }

    static Cluster cluster() {
        return clusterBuilder().with(Kerrighed.session(1).minimumNodes(6)).build();
    }
}
