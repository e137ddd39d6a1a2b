package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {
    @Test
    void comparesAcrossWraparound() {
        assertTrue(SequenceNumbers.isNewer(0, 65535));
        assertFalse(SequenceNumbers.isNewer(65535, 0));
        assertFalse(SequenceNumbers.isNewer(5, 5));
        assertEquals(1, SequenceNumbers.diff(0, 65535));
        assertEquals(-1, SequenceNumbers.diff(65535, 0));
        assertEquals(-32768, SequenceNumbers.diff(32768, 0));
        assertEquals(0, SequenceNumbers.add(65535, 1));
        assertTrue(SequenceNumbers.isNewerTimestamp(5, 0xFFFFFFF0L));
    }

    @Test
    void unwrapperCountsRolloversAndMapsLatePacketsBack() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        assertEquals(65534, u.unwrap(65534));
        assertEquals(65536, u.unwrap(0));
        assertEquals(65535, u.unwrap(65535)); // reordered, from the previous cycle
        assertEquals(65537, u.unwrap(1));
        assertEquals(1, u.cycles());
        assertEquals(65537, u.highest());
    }

    @Test
    void earlyReorderBeforeTheFirstPacketIsNegativeAndDoesNotMoveHighest() {
        SequenceUnwrapper u = new SequenceUnwrapper();
        u.unwrap(2);
        assertEquals(-1, u.unwrap(65535));
        assertEquals(2, u.highest());
        assertEquals(0, u.cycles());
        assertEquals(-1, u.unwrap(65535)); // stable for a duplicate
    }
}
