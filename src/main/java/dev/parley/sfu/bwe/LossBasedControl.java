package dev.parley.sfu.bwe;

/**
 * Loss-based controller (draft-ietf-rmcat-gcc-02 §6): above 10 % loss the rate drops to
 * {@code A * (1 - 0.5 p)}, below 2 % it grows, in between it holds. Like libwebrtc's
 * SendSideBandwidthEstimation, the growth is 8 % per second rather than the draft's 5 % per
 * report (reports come every 50 ms here), a decrease waits one RTT + 300 ms for the previous
 * one to take effect, and the result never exceeds the delay-based estimate.
 */
final class LossBasedControl {
    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;
    private static final int MIN_PACKETS = 20;
    private static final long DECREASE_HOLD_EXTRA_MICROS = 300_000;

    private long estimateBps;
    private long lost;
    private long total;
    private long lastUpdateMicros = Long.MIN_VALUE;
    private long lastDecreaseMicros = Long.MIN_VALUE;
    private double lastLossFraction;

    LossBasedControl(long initialBps) {
        this.estimateBps = initialBps;
    }

    long estimateBps() {
        return estimateBps;
    }

    double lastLossFraction() {
        return lastLossFraction;
    }

    /** Adds one feedback's counts; updates once {@link #MIN_PACKETS} are known. */
    void onPackets(int lostPackets, int receivedPackets, long rttMicros, long nowMicros) {
        lost += lostPackets;
        total += lostPackets + receivedPackets;
        if (total < MIN_PACKETS) {
            return;
        }
        double p = Math.max(0, (double) lost / total);
        lastLossFraction = p;
        lost = 0;
        total = 0;
        if (p > HIGH_LOSS) {
            if (lastDecreaseMicros == Long.MIN_VALUE || nowMicros - lastDecreaseMicros >= rttMicros + DECREASE_HOLD_EXTRA_MICROS) {
                estimateBps = (long) (estimateBps * (1 - 0.5 * p));
                lastDecreaseMicros = nowMicros;
            }
        } else if (p < LOW_LOSS && lastUpdateMicros != Long.MIN_VALUE) {
            double seconds = Math.min((nowMicros - lastUpdateMicros) / 1e6, 1.0);
            estimateBps = (long) (estimateBps * Math.pow(1.08, seconds)) + 1;
        }
        lastUpdateMicros = nowMicros;
    }

    /** A probe showed the path carries {@code bps} without loss trouble. */
    void raiseTo(long bps) {
        estimateBps = Math.max(estimateBps, bps);
    }

    /** Keeps the estimate within [min, cap]: the delay-based estimate bounds it from above. */
    void bound(long minBps, long capBps) {
        estimateBps = Math.max(minBps, Math.min(estimateBps, capBps));
    }
}
