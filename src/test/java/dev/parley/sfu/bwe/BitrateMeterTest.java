package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class BitrateMeterTest {
    @Test
    void measuresTheLastSecondAndForgetsAfterSilence() {
        BitrateMeter meter = new BitrateMeter();
        long now = -5_000_000; // monotonic clocks may be negative
        for (int i = 0; i < 2_000; i++) { // 1000 B every 1 ms for 2 s = 8 Mbps
            meter.add(1_000, now);
            now += 1_000;
        }
        assertEquals(8_000_000, meter.bitrateBps(now), 8_000_000 / 10 + 1, "within one bucket of 8 Mbps");
        assertTrue(meter.bitrateBps(now + 500_000) < 5_000_000, "half forgotten after 0.5 s");
        assertEquals(0, meter.bitrateBps(now + 1_100_000));
        meter.add(500, now + 5_000_000);
        assertEquals(4_000, meter.bitrateBps(now + 5_000_000));
    }
}
