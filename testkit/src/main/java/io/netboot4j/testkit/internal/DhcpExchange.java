package io.netboot4j.testkit.internal;

import io.netboot4j.core.MacAddress;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dhcp4java.DHCPPacket;

/**
 * Drives one {@link DhcpMachine} over the {@link DhcpRadio}: sends what it says, waits for
 * replies until its deadlines, with the node's {@link Impairment} on both directions.
 */
public final class DhcpExchange {

    /** The outcome: the ACK, or why there is none; retransmissions either way. */
    public record Outcome(DHCPPacket ack, String failure, int retransmissions) {
    }

    private DhcpExchange() {
    }

    /**
     * Runs one exchange until bound, failed, or {@code giveUpNanos} (a {@link System#nanoTime()}
     * instant) passed.
     */
    public static Outcome run(DhcpRadio radio, DhcpClientProfile profile, MacAddress mac, int xid, Impairment link,
            long giveUpNanos) throws IOException, InterruptedException {
        DhcpMachine m = new DhcpMachine(profile, mac, xid);
        BlockingQueue<DHCPPacket> inbox = radio.register(xid);
        try {
            DhcpMachine.Step step = m.start(System.nanoTime());
            while (true) {
                switch (step) {
                    case DhcpMachine.Step.Bound b -> {
                        return new Outcome(b.ack(), null, m.retransmissions());
                    }
                    case DhcpMachine.Step.Failed f -> {
                        return new Outcome(null, f.why(), m.retransmissions());
                    }
                    case DhcpMachine.Step.Send s -> {
                        for (int copy = 0; copy < s.copies(); copy++) {
                            if (copy > 0) {
                                Thread.sleep(1);
                            }
                            link.delay();
                            if (!link.lose()) {
                                radio.send(s.packet());
                            }
                        }
                        step = await(m, inbox, link, s.deadline(), giveUpNanos);
                    }
                    case DhcpMachine.Step.Wait w -> step = await(m, inbox, link, w.deadline(), giveUpNanos);
                }
                if (step == null) {
                    return new Outcome(null, profile.name() + " run ended without an ACK", m.retransmissions());
                }
            }
        } finally {
            radio.unregister(xid);
        }
    }

    private static DhcpMachine.Step await(DhcpMachine m, BlockingQueue<DHCPPacket> inbox, Impairment link, long deadline,
            long giveUp) throws InterruptedException {
        long until = Math.min(deadline, giveUp);
        DHCPPacket p = inbox.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (p == null) {
            return System.nanoTime() >= giveUp ? null : m.timeout(System.nanoTime());
        }
        if (link.lose()) {
            return new DhcpMachine.Step.Wait(deadline);
        }
        link.delay();
        return m.receive(p, System.nanoTime());
    }
}
