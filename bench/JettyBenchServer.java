import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 for bench/http.sh (the library candidate of http/README.md): its ResourceHandler
 * serving a folder on 127.0.0.1:port, request handling on virtual threads, until killed.
 * Usage: java -cp <jetty jars> bench/JettyBenchServer.java <folder> <port>
 */
public class JettyBenchServer {
    public static void main(String[] args) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[1]));
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(Path.of(args[0])));
        files.setDirAllowed(false);
        server.setHandler(files);
        server.start();
        System.out.println("ready on 127.0.0.1:" + connector.getLocalPort() + " (Jetty " + Server.getVersion() + ", virtual threads)");
        server.join();
    }
}
