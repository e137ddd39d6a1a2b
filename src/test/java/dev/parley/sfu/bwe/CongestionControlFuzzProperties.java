package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtcp.TransportWideCcFeedback;
import java.util.List;
import net.jqwik.api.*;

/**
 * Whatever a remote peer sends (any sequence numbers and clock jumps towards the receiver, any
 * well-formed feedback towards the estimator), nothing throws into the event loop and the
 * estimate stays within its bounds.
 */
class CongestionControlFuzzProperties {
    @Property(tries = 300)
    void theReceiverTakesAnySequenceAndClock(@ForAll List<@From("sequences") Integer> sequences,
                                             @ForAll List<@From("clockSteps") Long> clockSteps) {
        TransportCcReceiver receiver = new TransportCcReceiver(1);
        long now = 0;
        for (int i = 0; i < sequences.size(); i++) {
            now += clockSteps.isEmpty() ? 1_000 : clockSteps.get(i % clockSteps.size());
            receiver.onPacket(sequences.get(i), 9, now);
            if (i % 7 == 0 || receiver.feedbackDue(now)) {
                for (TransportWideCcFeedback f : receiver.buildFeedback(now)) {
                    assertTrue(f.marshalledLength() <= TransportCcReceiver.MAX_FEEDBACK_BYTES);
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> sequences() {
        return Arbitraries.integers().between(0, 65_535);
    }

    @Provide
    Arbitrary<Long> clockSteps() {
        return Arbitraries.longs().between(-20_000_000, 20_000_000);
    }

    @Property(tries = 300)
    void theEstimatorTakesAnyWellFormedFeedback(@ForAll("feedbacks") List<TransportWideCcFeedback> feedbacks,
                                                @ForAll("sequences") int firstSent,
                                                @ForAll List<@From("baseOffsets") Integer> baseOffsets) {
        SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator();
        long now = 0;
        int sequence = firstSent;
        int k = 0;
        for (TransportWideCcFeedback random : feedbacks) {
            // Mostly about packets just sent (so the estimator's state moves), sometimes anywhere.
            int offset = baseOffsets.isEmpty() ? -60 : baseOffsets.get(k++ % baseOffsets.size());
            TransportWideCcFeedback f = new TransportWideCcFeedback(1, 2, (sequence + offset) & 0xFFFF,
                    random.referenceTime(), k, random.statuses(), random.deltas());
            for (int i = 0; i < 50; i++) {
                now += 1_000;
                estimator.onPacketSent(sequence, now, 1_200);
                sequence = (sequence + 1) & 0xFFFF;
            }
            estimator.onTransportFeedback(f, now);
            long estimate = estimator.estimateBps();
            assertTrue(estimate >= SendSideBandwidthEstimator.Settings.DEFAULT.minBps()
                    && estimate <= SendSideBandwidthEstimator.Settings.DEFAULT.maxBps(), "estimate " + estimate);
        }
    }

    @Provide
    Arbitrary<Integer> baseOffsets() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(-150, 5)),
                Tuple.of(1, Arbitraries.integers().between(-40_000, 40_000)));
    }

    @Provide
    Arbitrary<List<TransportWideCcFeedback>> feedbacks() {
        Arbitrary<int[]> statuses = Arbitraries.integers().between(0, 2).array(int[].class).ofMinSize(1).ofMaxSize(120);
        Arbitrary<TransportWideCcFeedback> one = Combinators.combine(statuses,
                Arbitraries.integers().between(0, 65_535), Arbitraries.integers().between(0, 0xFFFFFF),
                Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE).list().ofSize(120))
                .as((s, base, reference, deltaPool) -> {
                    int received = 0;
                    for (int symbol : s) {
                        received += symbol == 0 ? 0 : 1;
                    }
                    int[] deltas = new int[received];
                    for (int i = 0, d = 0; i < s.length; i++) {
                        if (s[i] == TransportWideCcFeedback.SMALL_DELTA) {
                            deltas[d++] = Math.abs(deltaPool.get(i)) & 0xFF;
                        } else if (s[i] == TransportWideCcFeedback.LARGE_DELTA) {
                            deltas[d++] = deltaPool.get(i);
                        }
                    }
                    return new TransportWideCcFeedback(1, 2, base, reference, 0, s, deltas);
                });
        return one.list().ofMinSize(1).ofMaxSize(40);
    }
}
