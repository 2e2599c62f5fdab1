import com.sun.net.httpserver.HttpServer;
import io.netboot4j.boot.PxeBootTree;
import io.netboot4j.core.Cluster;
import io.netboot4j.http.HttpBootServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The HTTP servers of bench/http.sh: serves the files of a folder on 127.0.0.1:port until killed.
 * Usage: java -cp <classpath> bench/HttpBenchServer.java <folder> <port> [ours|ours-virtual|jdk]
 *   ours: netboot4j's HttpBootServer (a boot tree holding the folder's files) as it comes:
 *         a platform thread per connection
 *   ours-virtual: the same with a virtual thread per connection ({@code connectionThreads})
 *   jdk:  the JDK's jdk.httpserver with a virtual thread per exchange, files copied with
 *         Files.copy (the candidate library of the choice recorded in http/README.md)
 */
public class HttpBenchServer {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[1]));
        String impl = args.length > 2 ? args[2] : "ours";
        List<Path> files;
        try (var s = Files.list(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (impl.equals("jdk")) {
            HttpServer server = HttpServer.create(at, 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                Path p = folder.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!p.startsWith(folder) || !Files.isRegularFile(p)) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, Files.size(p));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(p, out);
                }
            });
            server.start();
            System.out.println("ready on " + server.getAddress() + " (jdk.httpserver, virtual threads)");
        } else {
            Cluster cluster = Cluster.builder("bench")
                    .network(n -> n.interfaceName("lo").subnet("127.0.0.0/8").server("127.0.0.1"))
                    .node("node1", "52:54:00:12:34:56", "127.0.0.2")
                    .boot(b -> b.kernel(files.getFirst()))
                    .rootFilesystem(r -> r.path("/srv/nfsroot"))
                    .build();
            PxeBootTree.Builder tree = PxeBootTree.builder(cluster);
            for (Path f : files) {
                tree.file(f.getFileName().toString(), f);
            }
            HttpBootServer.Builder builder = HttpBootServer.builder().tree(tree.build()).address(at).maxConnections(4096);
            if (impl.equals("ours-virtual")) {
                builder.connectionThreads(Thread.ofVirtual().name("conn-", 0).factory());
            }
            HttpBootServer server = builder.build();
            server.start();
            System.out.println("ready on " + server.localAddress() + " (netboot4j HttpBootServer, " + impl + ")");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(server.statistics())));
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
