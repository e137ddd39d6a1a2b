package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.sfu.bwe.BitrateAllocator.Allocation;
import dev.parley.sfu.bwe.BitrateAllocator.Demand;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.*;

/** Invariants of every allocation, whatever the consumers and however the estimate moves. */
class BitrateAllocatorProperties {
    @Provide
    Arbitrary<List<Demand>> demands() {
        // Measured rates: usually ascending, sometimes not, sometimes a layer that is not arriving (0).
        Arbitrary<Long> rate = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(30_000, 2_000_000)), Tuple.of(1, Arbitraries.just(0L)));
        Arbitrary<long[]> layers = Combinators.combine(rate.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false))
                .as((l, sorted) -> sorted ? l.stream().mapToLong(Long::longValue).sorted().toArray()
                        : l.stream().mapToLong(Long::longValue).toArray());
        return Combinators.combine(Arbitraries.integers().between(0, 2), layers, Arbitraries.integers().between(-1, 2))
                .as((priority, l, max) -> new long[][] {{priority, max}, l})
                .list().ofMinSize(1).ofMaxSize(8)
                .map(raw -> {
                    List<Demand> out = new ArrayList<>();
                    for (int i = 0; i < raw.size(); i++) {
                        out.add(new Demand(i, (int) raw.get(i)[0][0], raw.get(i)[1], (int) raw.get(i)[0][1]));
                    }
                    return out;
                });
    }

    @Property(tries = 500)
    void neverOverTheEstimateAndNoVideoPausedWhileAnotherHasMoreThanItsLowestLayer(
            @ForAll("demands") List<Demand> demands,
            @ForAll @net.jqwik.api.constraints.Size(min = 1, max = 30) List<@net.jqwik.api.constraints.LongRange(min = 0, max = 8_000_000) Long> estimates) {
        BitrateAllocator allocator = new BitrateAllocator();
        long now = 0;
        for (long estimate : estimates) {
            now += 500_000;
            Allocation a = allocator.allocate(estimate, demands, now);
            assertTrue(a.allocatedBps() <= estimate, "allocated " + a.allocatedBps() + " of " + estimate);
            boolean anyPaused = false;
            boolean anyAboveLowest = false;
            long sum = 0;
            for (Demand d : demands) {
                int layer = a.layerOf(d.consumerId());
                assertTrue(layer <= d.maxLayer(), "never more than asked");
                anyPaused |= d.maxLayer() >= 0 && layer == BitrateAllocator.PAUSED;
                anyAboveLowest |= layer > d.lowestLayer();
                assertTrue(layer < 0 || d.layerBps()[layer] > 0, "only layers that arrive");
                sum += layer < 0 ? 0 : d.layerBps()[layer];
            }
            assertEquals(sum, a.allocatedBps());
            assertFalse(anyPaused && anyAboveLowest, "layers go down before video is paused: " + a.layers());
        }
    }
}
