package dev.parley.sfu.bwe;

import static dev.parley.sfu.bwe.BitrateAllocator.PAUSED;
import static org.junit.jupiter.api.Assertions.*;

import dev.parley.sfu.bwe.BitrateAllocator.Allocation;
import dev.parley.sfu.bwe.BitrateAllocator.Demand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BitrateAllocatorTest {
    private static final long SECOND = 1_000_000;
    /** q / h / f simulcast as Chrome sends a 720p camera. */
    private static final long[] LAYERS = {150_000, 500_000, 1_500_000};

    private static List<Demand> threeTiles() {
        return List.of(
                new Demand(1, BitrateAllocator.PRIORITY_NORMAL, LAYERS, 1),   // small tile: asks for h
                new Demand(2, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2), // on stage: asks for f
                new Demand(3, BitrateAllocator.PRIORITY_NORMAL, LAYERS, 2));
    }

    @Test
    void plentyOfBandwidthGivesEveryoneWhatTheyAskFor() {
        Allocation a = new BitrateAllocator().allocate(10_000_000, threeTiles(), 0);
        assertEquals(Map.of(1L, 1, 2L, 2, 3L, 2), a.layers());
        assertEquals(3_500_000, a.allocatedBps());
        assertNull(a.probe());
        assertEquals(List.of(2L, 3L, 1L), List.copyOf(a.layers().keySet()), "on stage first, then by quality asked");
    }

    @Test
    void aLowEstimatePicksLowerLayersWithTheOnStageTileServedFirst() {
        Allocation a = new BitrateAllocator().allocate(1_000_000, threeTiles(), 0);
        assertEquals(1, a.layerOf(2), "on stage gets the middle layer");
        assertEquals(0, a.layerOf(3));
        assertEquals(0, a.layerOf(1));
        assertTrue(a.allocatedBps() <= 1_000_000);
    }

    @Test
    void layersGoDownBeforeAnyVideoIsPaused() {
        BitrateAllocator allocator = new BitrateAllocator();
        Allocation a = allocator.allocate(600_000, threeTiles(), 0);
        assertEquals(Map.of(1L, 0, 2L, 0, 3L, 0), a.layers(), "no higher layer fits within the margin");
        a = allocator.allocate(460_000, threeTiles(), SECOND / 2);
        assertEquals(Map.of(1L, 0, 2L, 0, 3L, 0), a.layers(), "three low layers still fit 450 kbps");
        a = allocator.allocate(400_000, threeTiles(), SECOND);
        assertEquals(0, a.layerOf(2));
        assertEquals(0, a.layerOf(3));
        assertEquals(PAUSED, a.layerOf(1), "the lowest priority, smallest ask is paused first");
        a = allocator.allocate(100_000, threeTiles(), 2 * SECOND);
        assertEquals(Map.of(1L, PAUSED, 2L, PAUSED, 3L, PAUSED), a.layers());
    }

    @Test
    void aConsumerThatWantsNoVideoGetsNone() {
        Allocation a = new BitrateAllocator().allocate(10_000_000,
                List.of(new Demand(1, BitrateAllocator.PRIORITY_NORMAL, LAYERS, PAUSED)), 0);
        assertEquals(PAUSED, a.layerOf(1));
        assertEquals(0, a.allocatedBps());
        assertNull(a.probe(), "nothing is short of what it asked for");
    }

    @Test
    void anEstimateWobblingFivePercentChangesEachLayerAtMostOnce() {
        // Sweep the centre across every layer boundary of the three tiles.
        for (long centre = 300_000; centre <= 4_000_000; centre += 50_000) {
            BitrateAllocator allocator = new BitrateAllocator();
            Random random = new Random(centre);
            Map<Long, Integer> changes = new HashMap<>();
            Map<Long, Integer> last = null;
            for (int step = 0; step < 600; step++) { // 60 s of an estimate every 100 ms
                long estimate = (long) (centre * (0.95 + 0.10 * random.nextDouble()));
                Allocation a = allocator.allocate(estimate, threeTiles(), step * 100_000L);
                if (last != null) {
                    for (Map.Entry<Long, Integer> e : a.layers().entrySet()) {
                        if (!e.getValue().equals(last.get(e.getKey()))) {
                            changes.merge(e.getKey(), 1, Integer::sum);
                        }
                    }
                }
                last = a.layers();
            }
            for (Map.Entry<Long, Integer> e : changes.entrySet()) {
                assertTrue(e.getValue() <= 1, "consumer " + e.getKey() + " changed " + e.getValue()
                        + " times around " + centre + " bps");
            }
        }
    }

    @Test
    void anUpgradeWaitsForTheMarginAndTheHoldAfterADowngrade() {
        BitrateAllocator allocator = new BitrateAllocator();
        List<Demand> one = List.of(new Demand(7, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2));
        assertEquals(2, allocator.allocate(2_000_000, one, 0).layerOf(7));
        assertEquals(2, allocator.allocate(1_500_000, one, SECOND).layerOf(7), "keeping may use it all");
        assertEquals(1, allocator.allocate(1_400_000, one, 2 * SECOND).layerOf(7));
        assertEquals(1, allocator.allocate(1_700_000, one, 3 * SECOND).layerOf(7), "1.5M is not within 85 %");
        assertEquals(1, allocator.allocate(2_000_000, one, 4 * SECOND).layerOf(7), "held 3 s after going down");
        assertEquals(2, allocator.allocate(2_000_000, one, 5 * SECOND).layerOf(7));
    }

    @Test
    void probesTowardsTheNextLayerWhenShortAndBacksOffWhenTheProbeFails() {
        BitrateAllocator allocator = new BitrateAllocator();
        List<Demand> one = List.of(new Demand(7, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2));
        Allocation a = allocator.allocate(900_000, one, 0);
        assertEquals(1, a.layerOf(7));
        assertNotNull(a.probe(), "short of the asked layer, and nothing went down recently");
        long target = a.probe().targetBps();
        assertTrue(target >= 1_500_000 / 0.85, "enough for the next layer to pass the margin: " + target);
        assertTrue(target <= 2 * 900_000, "at most twice the estimate");
        long firstEnd = a.probe().untilMicros();
        assertEquals(a.probe(), allocator.allocate(900_000, one, firstEnd - 1).probe(), "runs until its end");
        // The probe did not raise the estimate: the next one waits longer than the first interval.
        assertNull(allocator.allocate(900_000, one, firstEnd + 1).probe());
        Allocation second = null;
        long t = firstEnd;
        while (second == null || second.probe() == null) {
            t += 100_000;
            second = allocator.allocate(900_000, one, t);
        }
        long firstGap = t - firstEnd;
        long secondEnd = second.probe().untilMicros();
        t = secondEnd;
        Allocation third;
        do {
            t += 100_000;
            third = allocator.allocate(900_000, one, t);
        } while (third.probe() == null);
        assertTrue(t - secondEnd > firstGap, "backoff grows: " + firstGap + " then " + (t - secondEnd));
        // Once the estimate allows, the upgrade happens and no probe is asked for.
        Allocation up = allocator.allocate(2_000_000, one, t + 10 * SECOND);
        assertEquals(2, up.layerOf(7));
        assertNull(up.probe());
    }

    @Test
    void noProbeRightAfterADowngrade() {
        BitrateAllocator allocator = new BitrateAllocator();
        List<Demand> one = List.of(new Demand(7, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2));
        allocator.allocate(2_000_000, one, 0);
        Allocation down = allocator.allocate(1_000_000, one, SECOND);
        assertEquals(1, down.layerOf(7));
        assertNull(down.probe(), "the path just showed congestion");
    }

    @Test
    void layersThatAreNotArrivingAreNeverChosen() {
        BitrateAllocator allocator = new BitrateAllocator();
        Demand topMissing = new Demand(1, BitrateAllocator.PRIORITY_ON_STAGE, new long[] {150_000, 500_000, 0}, 2);
        Demand nothingArriving = new Demand(2, BitrateAllocator.PRIORITY_ON_STAGE, new long[] {0, 0, 0}, 2);
        Demand lowMissing = new Demand(3, BitrateAllocator.PRIORITY_NORMAL, new long[] {0, 500_000, 1_500_000}, 1);
        assertEquals(1, topMissing.maxLayer(), "lowered to what arrives");
        assertEquals(PAUSED, nothingArriving.maxLayer());
        Allocation a = allocator.allocate(10_000_000, List.of(topMissing, nothingArriving, lowMissing), 0);
        assertEquals(1, a.layerOf(1));
        assertEquals(PAUSED, a.layerOf(2));
        assertEquals(1, a.layerOf(3), "the middle layer is its lowest one");
        assertNull(a.probe(), "everyone has the most that arrives");
    }

    @Test
    void aLargeStepIsProbedAtMostAtTwiceTheEstimate() {
        List<Demand> one = List.of(new Demand(7, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2));
        Allocation a = new BitrateAllocator().allocate(200_000, one, 0);
        assertEquals(0, a.layerOf(7));
        assertEquals(400_000, a.probe().targetBps(), "a chain of probes, not one jump to 500 kbps / 0.85");
    }

    @Test
    void aDowngradeEndsTheRunningProbe() {
        BitrateAllocator allocator = new BitrateAllocator();
        List<Demand> one = List.of(new Demand(7, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2));
        assertNotNull(allocator.allocate(900_000, one, 0).probe());
        Allocation down = allocator.allocate(400_000, one, SECOND);
        assertEquals(0, down.layerOf(7));
        assertNull(down.probe());
    }

    @Test
    void aRaiseDoesNotUndoAnotherConsumersRecentRaise() {
        BitrateAllocator allocator = new BitrateAllocator();
        List<Demand> two = List.of(
                new Demand(1, BitrateAllocator.PRIORITY_ON_STAGE, LAYERS, 2),
                new Demand(2, BitrateAllocator.PRIORITY_NORMAL, LAYERS, 1));
        assertEquals(Map.of(1L, 1, 2L, 1), allocator.allocate(1_300_000, two, 0).layers());
        assertEquals(Map.of(1L, 1, 2L, 1), allocator.allocate(1_950_000, two, SECOND / 2).layers(),
                "on stage could take 1.5 Mbps only by pushing the tile raised 0.5 s ago back down");
        assertEquals(Map.of(1L, 2, 2L, 0), allocator.allocate(1_950_000, two, 4 * SECOND).layers(),
                "after the hold, priority decides");
    }
}
