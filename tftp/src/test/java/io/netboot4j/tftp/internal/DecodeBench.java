package io.netboot4j.tftp.internal;

import java.net.DatagramPacket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.net.tftp.TFTPPacket;
import org.apache.commons.net.tftp.TFTPRequestPacket;

/**
 * Decodes one PXE-like RRQ (3 options) N times: netboot4j's codec vs Commons Net with
 * {@code getOptions()}. Not a test: run it by hand (see {@code bench/results/tftp-decode.md}).
 */
public class DecodeBench {
    public static void main(String[] a) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("blksize", "1468"); opts.put("tsize", "0"); opts.put("windowsize", "16");
        byte[] rrq = TftpPacket.request(false, "pxelinux.cfg/01-52-54-00-12-34-56", "octet", opts);
        int n = Integer.parseInt(a[0]);
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += ((TftpPacket.Request) TftpPacket.decode(rrq, 0, rrq.length)).options().size();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] copy = rrq.clone();
                TFTPRequestPacket p = (TFTPRequestPacket) TFTPPacket.newTFTPPacket(new DatagramPacket(copy, copy.length));
                sink += p.getOptions().size() + p.getFilename().length();
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: netboot4j decode %.0f ns/request, Commons Net newTFTPPacket+getOptions %.0f ns/request%n",
                    round, (t1 - t0) / (double) n, (t2 - t1) / (double) n);
        }
        System.out.println("sink " + sink);
    }
}
