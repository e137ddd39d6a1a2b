package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtp.RtpPacket;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-packet calls the Router makes allocate nothing (feedback and allocation may). */
class CongestionControlHotPathAllocationTest {
    @Test
    void recordingArrivalsAndStampingSentPacketsDoNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        SubscriberCongestionControl subscriber = new SubscriberCongestionControl(3, 0);
        byte[] packet = RtpPacket.of(96, 1, 2, 3, false, new byte[1000]).marshal();
        byte[] out = new byte[1500];
        perPacket(receiver, subscriber, packet, out, 0, 20_000); // warm up, let the JIT settle
        long before = threads.getThreadAllocatedBytes(thread);
        long checksum = perPacket(receiver, subscriber, packet, out, 20_000, 100_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(checksum != 0);
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100k packets");
    }

    private static long perPacket(TransportCcReceiver receiver, SubscriberCongestionControl subscriber,
                                  byte[] packet, byte[] out, int from, int count) {
        long checksum = 0;
        for (int i = from; i < from + count; i++) {
            long now = i * 1_000L;
            receiver.onPacket(i, 9, now); // no feedback built in between: the window wraps, still no allocation
            checksum += receiver.feedbackDue(now) ? 1 : 0;
            int n = subscriber.prepare(packet, 0, packet.length, out, 0);
            subscriber.onSent(n, now);
            checksum += n + subscriber.paddingBytesDue(now);
        }
        return checksum;
    }
}
