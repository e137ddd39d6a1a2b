package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Dominant speaker decisions from audio levels: real turns of speech win, short noises never do. */
class DominantSpeakerTest {
    private static final long MS = 1_000_000L;
    private static final int LOUD = 20;
    private static final int QUIET = 127;

    static Producer audio(String peerId) {
        SfuSdp.PublishedTrack track = new SfuSdp.PublishedTrack("0", MediaKind.AUDIO,
                new CodecChoice("opus", 111, -1, null), 1, 0, 1, 2, List.of(), 0, 0);
        return new Producer(peerId + "-0", new Participant(peerId, null), track);
    }

    private final DominantSpeaker detector = new DominantSpeaker();
    private long now = 1_000 * MS;

    /** Feeds 20 ms audio packets for {@code millis}, each producer at its level, deciding as the SFU does. */
    private String run(long millis, Producer a, int levelA, Producer b, int levelB) {
        String last = null;
        for (long t = 0; t < millis; t += 20) {
            detector.level(a, levelA, now);
            detector.level(b, levelB, now);
            now += 20 * MS;
            String changed = detector.decide(now);
            if (changed != null) last = changed;
        }
        return last;
    }

    @Test
    void sustainedSpeechTakesTheFloorWithinAboutASecond() {
        Producer ann = audio("ann");
        Producer bob = audio("bob");
        assertNull(run(2000, ann, QUIET, bob, QUIET), "silence elects nobody");
        assertEquals("ann", run(1200, ann, LOUD, bob, QUIET), "Ann talks for 1.2 s and becomes dominant");
        assertEquals("ann", detector.dominant());
    }

    @Test
    void aShortNoiseDoesNotTakeTheFloor() {
        Producer ann = audio("ann");
        Producer bob = audio("bob");
        run(3000, ann, LOUD, bob, QUIET);
        assertEquals("ann", detector.dominant());
        assertNull(run(300, ann, LOUD, bob, LOUD), "Bob coughs for 300 ms while Ann talks");
        assertNull(run(2000, ann, QUIET, bob, QUIET), "then both are silent");
        assertNull(run(300, ann, QUIET, bob, LOUD), "a 300 ms noise in silence is not a turn of speech");
        assertEquals("ann", detector.dominant(), "silence keeps the last dominant speaker");
    }

    @Test
    void aNewSpeakerTakesOverWhenTheDominantOneStops() {
        Producer ann = audio("ann");
        Producer bob = audio("bob");
        run(3000, ann, LOUD, bob, QUIET);
        assertEquals("bob", run(2500, ann, QUIET, bob, LOUD), "Ann stops, Bob talks");
        detector.remove(bob);
        assertNull(detector.dominant(), "a producer that closes gives up the floor");
    }
}
