package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The forwarding path's promise: wrapping and rewriting a packet allocates nothing. */
class RtpHotPathAllocationTest {
    @Test
    void wrapReadAndRewriteDoNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        byte[] packet = RtpPacketViewTest.CHROME_VP8.clone();
        RtpPacketView view = new RtpPacketView();
        int[] idMap = {0, 0, 0, 3, 4};
        forward(view, packet, idMap, 20_000); // warm up, let the JIT settle
        long before = threads.getThreadAllocatedBytes(thread);
        long checksum = forward(view, packet, idMap, 100_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(checksum != 0);
        // A few hundred bytes of measurement noise; one allocation per packet would be megabytes.
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100k packets");
    }

    private static long forward(RtpPacketView view, byte[] packet, int[] idMap, int iterations) {
        long checksum = 0;
        for (int i = 0; i < iterations; i++) {
            view.wrap(packet, 0, packet.length);
            checksum += view.ssrc() + view.sequenceNumber() + view.transportSequenceNumber(3) + view.payloadLength();
            view.setSsrc(0xCAFEBABEL);
            view.setSequenceNumber(i);
            view.setTimestamp(i * 3000L);
            view.setPayloadType(100);
            view.setTransportSequenceNumber(3, i);
            view.remapExtensionIds(idMap);
        }
        return checksum;
    }
}
