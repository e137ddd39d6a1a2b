package dev.parley.sfu.bwe;

/**
 * Delay-gradient filter and over-use detector (draft-ietf-rmcat-gcc-02 §5.3 and §5.4, with
 * libwebrtc's TrendlineEstimator in place of the draft's Kalman filter): accumulates the
 * inter-group delay variation, smooths it, fits a line through the last {@link #WINDOW} points
 * and compares the slope, scaled, with a threshold that adapts to it (§5.4: k_u = 0.0087,
 * k_d = 0.039, clamped to 6..600) so that a competing TCP flow does not starve us.
 */
final class TrendlineEstimator {
    static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double THRESHOLD_GAIN = 4.0;
    private static final int MIN_DELTAS = 60;
    private static final int MAX_DELTAS = 1000;
    private static final double OVERUSE_TIME_MS = 10;
    private static final double K_UP = 0.0087;
    private static final double K_DOWN = 0.039;
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_THRESHOLD_DELTA_MS = 100;

    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int points;
    private int head;
    private int deltas;
    private double firstArrivalMs = -1;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private double previousTrend;
    private double threshold = 12.5;
    private double lastThresholdUpdateMs = -1;
    private double timeOverUsingMs = -1;
    private int overuseCounter;
    private BandwidthUsage hypothesis = BandwidthUsage.NORMAL;
    private double modifiedTrend;

    /** One inter-group sample (§5.1: d(i) = arrival delta - send delta), all in milliseconds. */
    void update(double arrivalDeltaMs, double sendDeltaMs, double arrivalMs) {
        double delayMs = arrivalDeltaMs - sendDeltaMs;
        deltas = Math.min(deltas + 1, MAX_DELTAS);
        if (firstArrivalMs < 0) {
            firstArrivalMs = arrivalMs;
        }
        accumulatedDelayMs += delayMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        xs[head] = arrivalMs - firstArrivalMs;
        ys[head] = smoothedDelayMs;
        head = (head + 1) % WINDOW;
        points = Math.min(points + 1, WINDOW);
        double trend = previousTrend;
        if (points == WINDOW) {
            trend = slope(trend);
        }
        detect(trend, sendDeltaMs, arrivalMs);
    }

    /** Least-squares slope through the window, or {@code fallback} if all x are equal. */
    private double slope(double fallback) {
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < WINDOW; i++) {
            sumX += xs[i];
            sumY += ys[i];
        }
        double avgX = sumX / WINDOW;
        double avgY = sumY / WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < WINDOW; i++) {
            double dx = xs[i] - avgX;
            numerator += dx * (ys[i] - avgY);
            denominator += dx * dx;
        }
        return denominator == 0 ? fallback : numerator / denominator;
    }

    /** §5.4: over-use only after the signal stayed above the threshold for a while and grows. */
    private void detect(double trend, double sendDeltaMs, double nowMs) {
        if (deltas < 2) {
            hypothesis = BandwidthUsage.NORMAL;
            return;
        }
        modifiedTrend = Math.min(deltas, MIN_DELTAS) * trend * THRESHOLD_GAIN;
        if (modifiedTrend > threshold) {
            timeOverUsingMs = timeOverUsingMs < 0 ? sendDeltaMs / 2 : timeOverUsingMs + sendDeltaMs;
            overuseCounter++;
            if (timeOverUsingMs > OVERUSE_TIME_MS && overuseCounter > 1 && trend >= previousTrend) {
                timeOverUsingMs = 0;
                overuseCounter = 0;
                hypothesis = BandwidthUsage.OVERUSING;
            }
        } else if (modifiedTrend < -threshold) {
            timeOverUsingMs = -1;
            overuseCounter = 0;
            hypothesis = BandwidthUsage.UNDERUSING;
        } else {
            timeOverUsingMs = -1;
            overuseCounter = 0;
            hypothesis = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        updateThreshold(modifiedTrend, nowMs);
    }

    /** §5.4 adaptive threshold: gamma += dt * k * (|m| - gamma), ignoring sudden spikes. */
    private void updateThreshold(double modifiedTrend, double nowMs) {
        if (lastThresholdUpdateMs < 0) {
            lastThresholdUpdateMs = nowMs;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastThresholdUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double dt = Math.min(nowMs - lastThresholdUpdateMs, MAX_THRESHOLD_DELTA_MS);
        threshold = Math.max(6, Math.min(600, threshold + k * (magnitude - threshold) * dt));
        lastThresholdUpdateMs = nowMs;
    }

    BandwidthUsage state() {
        return hypothesis;
    }

    double threshold() {
        return threshold;
    }

    /** True while queueing delay grows, even if not yet for long enough to call it over-use. */
    boolean delayRising() {
        return modifiedTrend > threshold / 2;
    }
}
