package dev.parley.sfu.bwe;

/**
 * Delay-based rate controller (draft-ietf-rmcat-gcc-02 §5.5, libwebrtc's AimdRateControl): a
 * three-state machine driven by the over-use detector. Increase is multiplicative (8 % per
 * second) far from the last known link capacity and additive (about one packet per response
 * time) near it; on over-use the rate becomes {@link #BETA} times the measured throughput.
 * It never grows past 1.5 times what the receiver acknowledged, so an idle sender does not
 * inflate it (that is what probing is for).
 */
final class AimdRateControl {
    static final double BETA = 0.85;
    private static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    private static final long MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
    private static final double FRAMES_PER_SECOND = 30;
    private static final double PACKET_BITS = 1200 * 8;
    private static final long RESPONSE_TIME_EXTRA_MICROS = 100_000;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long minBps;
    private final long maxBps;
    private final LinkCapacity linkCapacity = new LinkCapacity();
    private State state = State.HOLD;
    private long currentBps;
    private long lastThroughputBps;
    private long lastChangeMicros = Long.MIN_VALUE;
    private long rttMicros = 200_000;

    AimdRateControl(long initialBps, long minBps, long maxBps) {
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.currentBps = initialBps;
    }

    long estimateBps() {
        return currentBps;
    }

    void setRtt(long rttMicros) {
        this.rttMicros = rttMicros;
    }

    /**
     * libwebrtc's TimeToReduceFurther: while over-use persists, decrease again once per RTT
     * (10..200 ms), or at once if the throughput fell below half the estimate.
     */
    boolean timeToReduceFurther(long nowMicros, long throughputBps) {
        long interval = Math.max(10_000, Math.min(200_000, rttMicros));
        if (lastChangeMicros == Long.MIN_VALUE || nowMicros - lastChangeMicros >= interval) {
            return true;
        }
        return throughputBps > 0 && throughputBps < currentBps / 2;
    }

    /** One detector output; {@code throughputBps} is the acknowledged bitrate, 0 if unknown yet. */
    long update(BandwidthUsage usage, long throughputBps, long nowMicros) {
        long throughput = throughputBps > 0 ? throughputBps : lastThroughputBps;
        if (throughputBps > 0) {
            lastThroughputBps = throughputBps;
        }
        switch (usage) {
            case NORMAL -> {
                if (state == State.HOLD) {
                    lastChangeMicros = nowMicros;
                    state = State.INCREASE;
                }
            }
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD; // §5.5: let the queues drain
        }
        long next = currentBps;
        long throughputLimit = throughput > 0 ? (long) (1.5 * throughput) + 10_000 : Long.MAX_VALUE;
        switch (state) {
            case HOLD -> { }
            case INCREASE -> {
                if (throughput > linkCapacity.upperBound()) {
                    linkCapacity.reset();
                }
                if (currentBps < throughputLimit) {
                    long increase = linkCapacity.hasEstimate()
                            ? additiveIncrease(nowMicros) : multiplicativeIncrease(nowMicros);
                    next = Math.min(currentBps + increase, throughputLimit);
                }
                lastChangeMicros = nowMicros;
            }
            case DECREASE -> {
                long decreased = (long) (BETA * throughput);
                if (decreased > currentBps && linkCapacity.hasEstimate()) {
                    decreased = (long) (BETA * linkCapacity.estimateBps());
                }
                if (throughput > 0 && decreased < currentBps) {
                    next = decreased;
                }
                if (throughput < linkCapacity.lowerBound()) {
                    linkCapacity.reset(); // far from what we knew: learn the new capacity at once
                }
                if (throughput > 0) {
                    linkCapacity.onOveruse(throughput);
                }
                state = State.HOLD; // wait for the queues to drain before increasing
                lastChangeMicros = nowMicros;
            }
        }
        currentBps = Math.max(minBps, Math.min(maxBps, next));
        return currentBps;
    }

    /** A probe showed the path carries {@code bps}: start from there (libwebrtc's SetEstimate). */
    void raiseTo(long bps, long nowMicros) {
        if (bps > currentBps) {
            currentBps = Math.min(maxBps, bps);
            lastChangeMicros = nowMicros;
        }
    }

    /** Halves the estimate: over-use seen before any throughput was measured. */
    void halve(long nowMicros) {
        currentBps = Math.max(minBps, currentBps / 2);
        lastChangeMicros = nowMicros;
    }

    private long multiplicativeIncrease(long nowMicros) {
        double alpha = MULTIPLICATIVE_PER_SECOND;
        if (lastChangeMicros != Long.MIN_VALUE) {
            double seconds = Math.min((nowMicros - lastChangeMicros) / 1e6, 1.0);
            alpha = Math.pow(alpha, seconds);
        }
        return Math.max((long) (currentBps * (alpha - 1)), 1_000);
    }

    /** About one average packet per response time (RTT + 100 ms), per second. */
    private long additiveIncrease(long nowMicros) {
        double frameBits = currentBps / FRAMES_PER_SECOND;
        double packetsPerFrame = Math.ceil(frameBits / PACKET_BITS);
        double packetBits = frameBits / packetsPerFrame;
        double responseSeconds = (rttMicros + RESPONSE_TIME_EXTRA_MICROS) / 1e6;
        double bpsPerSecond = Math.max(MIN_ADDITIVE_BPS_PER_SECOND, packetBits / responseSeconds);
        double seconds = lastChangeMicros == Long.MIN_VALUE ? 0 : (nowMicros - lastChangeMicros) / 1e6;
        return (long) (bpsPerSecond * seconds);
    }

    /**
     * Running estimate of the throughput at which over-use happened (libwebrtc's
     * LinkCapacityEstimator): near it the controller increases additively.
     */
    private static final class LinkCapacity {
        private double estimateKbps = -1;
        private double deviationKbps = 0.4;

        boolean hasEstimate() {
            return estimateKbps >= 0;
        }

        long estimateBps() {
            return (long) (estimateKbps * 1000);
        }

        long upperBound() {
            return hasEstimate() ? (long) ((estimateKbps + 3 * deviation()) * 1000) : Long.MAX_VALUE;
        }

        long lowerBound() {
            return hasEstimate() ? (long) (Math.max(0, estimateKbps - 3 * deviation()) * 1000) : 0;
        }

        private double deviation() {
            return Math.sqrt(deviationKbps * estimateKbps);
        }

        void onOveruse(long throughputBps) {
            double sample = throughputBps / 1000.0;
            double alpha = 0.05;
            estimateKbps = hasEstimate() ? (1 - alpha) * estimateKbps + alpha * sample : sample;
            double norm = Math.max(estimateKbps, 1.0);
            double error = estimateKbps - sample;
            deviationKbps = (1 - alpha) * deviationKbps + alpha * error * error / norm;
            deviationKbps = Math.max(0.4, Math.min(2.5, deviationKbps));
        }

        void reset() {
            estimateKbps = -1;
        }
    }
}
