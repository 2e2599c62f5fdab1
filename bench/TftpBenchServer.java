import io.netboot4j.tftp.TftpServer;
import io.netboot4j.tftp.TftpSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The embedded server for bench/tftp.sh: serves a folder on 127.0.0.1:port until killed.
 * Usage: java -cp <classpath> bench/TftpBenchServer.java <folder> <port> [virtual|platform]
 * ({@code -Dnetboot4j.tftp.pollMicros=0} in SERVER_JAVA_OPTS compares with polling off)
 */
public class TftpBenchServer {
    public static void main(String[] args) throws Exception {
        TftpServer.Builder builder = TftpServer.builder();
        if (args.length > 2 && args[2].equals("platform")) {
            builder.transferThreads(Thread.ofPlatform().daemon().name("transfer-", 0).factory());
        }
        TftpServer server = builder
                .source(TftpSource.folder(Path.of(args[0])))
                .address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Integer.parseInt(args[1])))
                .maxTransfers(1024)
                .build();
        server.start();
        System.out.println("ready on " + server.localAddress());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println(server.statistics())));
        Thread.sleep(Long.MAX_VALUE);
    }
}
