package io.netboot4j.nfsroot.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * The embedded server in a JVM of its own, for tests that must see its memory (started
 * with a small -Xmx by {@link MemoryBoundTest}). Serves {@code args[0]} (a folder holding
 * {@code root}) on 127.0.0.1, prints {@code nfs <port> mount <port>}, then answers
 * each line of standard input with its memory: {@code mem <live heap after the last GC>
 * <peak direct> <peak in flight> <in flight limit> <malformed>} (bytes), sampling every
 * 5 ms meanwhile; end of input stops it.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedNfsServer server = RpcWireTest.start(Path.of(args[0]), "127.0.0.0/8(rw,no_root_squash,insecure)");
        long[] peaks = new long[2];
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                synchronized (peaks) {
                    peaks[0] = Math.max(peaks[0], direct.getMemoryUsed());
                    peaks[1] = Math.max(peaks[1], server.inFlightBytes());
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.out.println("nfs " + server.endpoints().get("nfs").getPort() + " mount " + server.endpoints().get("mount").getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        while (in.readLine() != null) {
            System.gc();
            long live = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                    live += p.getCollectionUsage().getUsed();
                }
            }
            synchronized (peaks) {
                System.out.println("mem " + live + " " + peaks[0] + " " + peaks[1] + " " + server.limits().inFlightBytes() + " "
                        + server.state().malformed());
            }
            System.out.flush();
        }
        sampler.interrupt();
        server.close();
    }
}
