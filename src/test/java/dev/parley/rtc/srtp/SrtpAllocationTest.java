package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The AES-CM hot path allocates nothing once warm (GCM allocates inside JCE; see package-info). */
class SrtpAllocationTest {
    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    void aesCmProtectAndUnprotectAllocateNothingInSteadyState(SrtpProfile profile) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count per-thread allocation; run the tests on HotSpot (Java 17)");
        SrtpSession sender = SrtpSession.create(profile, new byte[16], new byte[14]);
        SrtpSession receiver = SrtpSession.create(profile, new byte[16], new byte[14]);
        byte[] packet = SrtpSessionTest.rtp(0, 99, 1000);
        int clear = SrtpSessionTest.rtpLength(1000);
        byte[] rtcp = new byte[64];
        rtcp[0] = (byte) 0x80;
        rtcp[1] = (byte) 200;

        roundTrips(sender, receiver, packet, clear, rtcp, 1, 20_000); // warm up: JIT, buffer growth
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        roundTrips(sender, receiver, packet, clear, rtcp, 20_001, 10_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // A few bytes of slack for the measurement call itself, far below one byte per packet.
        assertEquals(0, allocated / 10_000, "bytes allocated per packet: " + allocated / 10_000.0);
    }

    private static void roundTrips(SrtpSession sender, SrtpSession receiver, byte[] packet, int clear,
            byte[] rtcp, int firstSeq, int count) {
        for (int i = 0; i < count; i++) {
            int seq = (firstSeq + i) & 0xFFFF;
            packet[2] = (byte) (seq >>> 8);
            packet[3] = (byte) seq;
            int n = sender.protectRtp(packet, 0, clear);
            if (receiver.unprotectRtp(packet, 0, n) != clear) {
                throw new AssertionError("round trip failed at " + seq);
            }
            int m = sender.protectRtcp(rtcp, 0, 32);
            if (receiver.unprotectRtcp(rtcp, 0, m) != 32) {
                throw new AssertionError("rtcp round trip failed at " + i);
            }
        }
    }
}
