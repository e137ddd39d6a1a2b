package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SsrcContextTableTest {
    @Test
    void behavesLikeAMapUnderRandomInsertsAndRemovals() {
        SsrcContextTable table = new SsrcContextTable(10_000);
        Map<Integer, SsrcContext> reference = new HashMap<>();
        Random random = new Random(3);
        for (int step = 0; step < 50_000; step++) {
            int ssrc = random.nextInt(300) * 0x01000193; // few keys, spread bits, many collisions
            if (random.nextBoolean() && !reference.containsKey(ssrc)) {
                reference.put(ssrc, table.create(ssrc));
            } else {
                assertEquals(reference.remove(ssrc) != null, table.remove(ssrc));
            }
            assertEquals(reference.size(), table.size());
        }
        for (int k = 0; k < 300; k++) {
            int ssrc = k * 0x01000193;
            assertSame(reference.get(ssrc), table.get(ssrc));
        }
    }

    @Test
    void limitCountsLiveContextsOnly() {
        SsrcContextTable table = new SsrcContextTable(2);
        assertNotNull(table.create(1));
        assertNotNull(table.create(2));
        assertNull(table.create(3));
        assertTrue(table.remove(1));
        assertFalse(table.remove(1));
        assertNotNull(table.create(3));
    }
}
