package dev.parley.rtc.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    @Test
    void slidesAndForgetsWhatFellOut() {
        ReplayWindow w = new ReplayWindow(64);
        w.accept(100);
        assertEquals(SrtpFailure.REPLAYED.code(), w.check(100));
        assertEquals(ReplayWindow.ACCEPT, w.check(99));
        assertEquals(ReplayWindow.ACCEPT, w.check(37));
        assertEquals(SrtpFailure.TOO_OLD.code(), w.check(36));
        w.accept(99);
        w.accept(163); // 99 and 100 still inside, 99 at the far edge
        assertEquals(SrtpFailure.REPLAYED.code(), w.check(100));
        assertEquals(ReplayWindow.ACCEPT, w.check(101), "bits between old and new highest were cleared");
        w.accept(100_000);
        assertEquals(SrtpFailure.TOO_OLD.code(), w.check(163));
        assertEquals(ReplayWindow.ACCEPT, w.check(99_999));
    }
}
