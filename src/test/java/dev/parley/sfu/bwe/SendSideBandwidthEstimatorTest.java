package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendSideBandwidthEstimatorTest {
    private static final long SECOND = 1_000_000;

    private static SimulatedSubscriberPath path(long capacityBps, double loss, int firstSequence) {
        // A 250 ms drop-tail queue at 2.5 Mbps and 25 ms one way, as a home uplink might have.
        SimulatedBottleneck link = new SimulatedBottleneck(capacityBps, 78_000, loss, 25_000, 7);
        return new SimulatedSubscriberPath(link, new SendSideBandwidthEstimator(), firstSequence);
    }

    private static String trace(List<Long> samples) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < samples.size(); i += 10) {
            b.append(i / 10).append("s=").append(samples.get(i) / 1000).append("k ");
        }
        return b.toString();
    }

    @Test
    void estimateConvergesUnderTheBottleneckCapacity() {
        SimulatedSubscriberPath path = path(2_500_000, 0, 65_000); // sequence numbers wrap early on
        List<Long> samples = new ArrayList<>();
        path.runUntil(40 * SECOND, samples::add);
        List<Long> settled = samples.subList(250, 400);
        long min = settled.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = settled.stream().mapToLong(Long::longValue).max().orElseThrow();
        double mean = settled.stream().mapToLong(Long::longValue).average().orElseThrow();
        assertTrue(min >= 1_250_000, "never below half the capacity once settled: " + trace(samples));
        assertTrue(max <= 2_900_000, "never far above the capacity: " + trace(samples));
        assertTrue(mean >= 1_750_000 && mean <= 2_650_000, "settles near the capacity: " + trace(samples));
        assertTrue(path.estimator.feedbacksReceived() > 700, "feedback every ~50 ms");
    }

    @Test
    void estimateDropsWhenCapacityDropsAndClimbsBackAfter() {
        SimulatedSubscriberPath path = path(2_500_000, 0, 0);
        List<Long> samples = new ArrayList<>();
        path.runUntil(30 * SECOND, samples::add);
        long before = path.estimator.estimateBps();
        path.link.capacityBps = 500_000;
        path.runUntil(60 * SECOND, samples::add);
        List<Long> constrained = List.copyOf(samples.subList(350, 600));
        path.link.capacityBps = 2_500_000;
        path.runUntil(120 * SECOND, samples::add);
        assertTrue(before >= 1_500_000, "high before the drop: " + trace(samples));
        long maxConstrained = constrained.stream().mapToLong(Long::longValue).max().orElseThrow();
        long minConstrained = constrained.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(maxConstrained <= 650_000, "within 5 s of the drop the estimate fits 500 kbps: " + trace(samples));
        assertTrue(minConstrained >= 200_000, "does not collapse: " + trace(samples));
        assertTrue(path.estimator.estimateBps() >= 1_500_000, "climbs back once capacity returns: " + trace(samples));
    }

    @Test
    void jitterWithReorderingDoesNotReadAsCongestion() {
        SimulatedSubscriberPath path = path(5_000_000, 0, 0);
        path.link.jitterMicros = 15_000;
        List<Long> samples = new ArrayList<>();
        path.runUntil(40 * SECOND, samples::add);
        assertTrue(path.estimator.estimateBps() >= 3_000_000, "grew towards 5 Mbps despite 15 ms jitter: "
                + trace(samples));
    }

    @Test
    void aFeedbackBlackoutLowersTheEstimateAndItRecoversAfter() {
        SimulatedSubscriberPath path = path(2_500_000, 0, 0);
        path.runUntil(30 * SECOND, null);
        long before = path.estimator.estimateBps();
        path.link.lossRate = 1.0; // nothing gets through, so no feedback comes back
        path.runUntil(34 * SECOND, null);
        long blind = path.estimator.estimateBps();
        assertTrue(blind < 0.6 * before, "backed off while blind: " + before + " -> " + blind);
        path.link.lossRate = 0;
        path.runUntil(60 * SECOND, null);
        assertTrue(path.estimator.estimateBps() >= 1_500_000, "recovered: " + path.estimator.estimateBps());
    }

    @Test
    void heavyRandomLossLowersTheEstimateEvenWithoutQueueing() {
        SimulatedSubscriberPath path = path(20_000_000, 0.20, 0);
        path.runUntil(10 * SECOND, null);
        assertTrue(path.estimator.lossFraction() > 0.10, "loss measured from feedback: " + path.estimator.lossFraction());
        assertTrue(path.estimator.estimateBps() < 500_000, "20 % loss halves and halves again: "
                + path.estimator.estimateBps());
    }

    @Test
    void moderateLossHoldsTheEstimateWhileTheDelayBasedPartMayGrow() {
        SimulatedSubscriberPath path = path(20_000_000, 0.05, 0);
        path.runUntil(10 * SECOND, null);
        double loss = path.estimator.lossFraction();
        assertTrue(loss > 0.02 && loss < 0.10, "loss between the thresholds: " + loss);
        long estimate = path.estimator.estimateBps();
        assertTrue(estimate >= 900_000 && estimate <= 1_300_000, "held near the initial rate: " + estimate);
        assertTrue(path.estimator.delayBasedBps() > 1_500_000, "no queueing: the delay-based part grew");
    }

    @Test
    void rembAloneIsTheEstimateWithoutTransportCc() {
        SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator();
        assertEquals(1_000_000, estimator.estimateBps(), "initial estimate before any feedback");
        estimator.onRemb(300_000, 0);
        assertEquals(300_000, estimator.estimateBps());
        estimator.onRemb(5_000_000_000L, 1);
        assertEquals(SendSideBandwidthEstimator.Settings.DEFAULT.maxBps(), estimator.estimateBps(), "clamped to max");
        assertFalse(estimator.usesTransportCc());
    }

    @Test
    void rembCapsTheTransportCcEstimate() {
        SimulatedSubscriberPath path = path(20_000_000, 0, 0);
        path.runUntil(3 * SECOND, null);
        assertTrue(path.estimator.estimateBps() > 400_000);
        path.estimator.onRemb(400_000, path.nowMicros);
        assertEquals(400_000, path.estimator.estimateBps());
    }

    @Test
    void feedbackForUnknownSequenceNumbersIsCountedNotUsed() {
        SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator();
        estimator.onPacketSent(10, 0, 1000);
        estimator.onTransportFeedback(dev.parley.codec.rtcp.TransportWideCcFeedback.fromArrivals(
                1, 2, 0, 500, new long[] {1000, 2000}), 10_000);
        assertEquals(2, estimator.feedbackPacketsUnknown());
        assertFalse(estimator.usesTransportCc());
        assertEquals(1_000_000, estimator.estimateBps());
    }
}
