import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Netty candidate of bench/http.sh: Netty 4.1's static-file server as its own example
 * (HttpStaticFileServer) writes it — NIO event loops (one acceptor, one loop per CPU x 2),
 * HttpServerCodec, and the body as a DefaultFileRegion, which Netty sends with
 * FileChannel.transferTo (sendfile) when the socket is writable. Serves the files of a folder
 * on 127.0.0.1:port until killed.
 * Usage: java -cp <netty jars> bench/NettyBenchServer.java <folder> <port>
 */
public class NettyBenchServer {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]).toAbsolutePath().normalize();
        int port = Integer.parseInt(args[1]);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Files_(folder));
                    }
                });
        b.bind(new InetSocketAddress("127.0.0.1", port)).sync();
        System.out.println("ready on 127.0.0.1:" + port + " (Netty " + io.netty.util.Version.identify().values().iterator().next()
                .artifactVersion() + ", NIO event loops, DefaultFileRegion)");
        Thread.sleep(Long.MAX_VALUE);
    }

    /** GET of a file of the folder: head, then the file as a region, then the end of the message. */
    static final class Files_ extends SimpleChannelInboundHandler<HttpObject> {
        private final Path folder;

        Files_(Path folder) {
            this.folder = folder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws Exception {
            if (!(msg instanceof HttpRequest req)) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String uri = req.uri();
            Path p = folder.resolve(uri.startsWith("/") ? uri.substring(1) : uri).normalize();
            if (!p.startsWith(folder) || !Files.isRegularFile(p)) {
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
                HttpUtil.setContentLength(r, 0);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            RandomAccessFile raf = new RandomAccessFile(p.toFile(), "r");
            long length = raf.length();
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setContentLength(r, length);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            HttpUtil.setKeepAlive(r, keepAlive);
            ctx.write(r);
            ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.newProgressivePromise());
            ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
