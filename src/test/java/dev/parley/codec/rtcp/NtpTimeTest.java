package dev.parley.codec.rtcp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NtpTimeTest {
    @Test
    void convertsUnixTimeBothWays() {
        long unixMicros = 1_795_000_000_123_456L;
        long ntp = NtpTime.fromUnixMicros(unixMicros);
        assertEquals(1_795_000_000L + NtpTime.UNIX_EPOCH_OFFSET_SECONDS, ntp >>> 32);
        assertTrue(Math.abs(NtpTime.toUnixMicros(ntp) - unixMicros) <= 1);
    }

    @Test
    void roundTripFollowsRfc3550Example() {
        // RFC 3550 §6.4.1 example: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 → 6.125 s.
        ReportBlock block = new ReportBlock(1, 0, 0, 0, 0, 0xB7052000L, 0x00054000L);
        long now = 0xB7108000L << 16;
        assertEquals(6_125_000, NtpTime.roundTripMicros(block, now));
        assertEquals(-1, NtpTime.roundTripMicros(new ReportBlock(1, 0, 0, 0, 0, 0, 0), now));
    }
}
