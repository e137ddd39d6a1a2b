package dev.parley.sfu.bwe;

import java.util.Random;

/**
 * A drop-tail bottleneck link on a virtual clock: packets queue behind each other at
 * {@code capacityBps}, are dropped when the queue holds more than {@code queueLimitBytes}, and
 * are lost at random with {@code lossRate}; then they take {@code propagationMicros} to arrive.
 */
final class SimulatedBottleneck {
    long capacityBps;
    final long queueLimitBytes;
    double lossRate;
    final long propagationMicros;
    private final Random random;
    private long busyUntilMicros;
    /** Extra delay after the queue, uniform in [0, jitterMicros): packets may overtake each other. */
    long jitterMicros;
    long queueDrops;
    long randomDrops;

    SimulatedBottleneck(long capacityBps, long queueLimitBytes, double lossRate, long propagationMicros, long seed) {
        this.capacityBps = capacityBps;
        this.queueLimitBytes = queueLimitBytes;
        this.lossRate = lossRate;
        this.propagationMicros = propagationMicros;
        this.random = new Random(seed);
    }

    /** Arrival time of a packet sent at {@code nowMicros}, or -1 if the link drops it. */
    long send(long nowMicros, int sizeBytes) {
        long backlogMicros = Math.max(0, busyUntilMicros - nowMicros);
        long backlogBytes = backlogMicros * capacityBps / 8_000_000;
        if (backlogBytes + sizeBytes > queueLimitBytes) {
            queueDrops++;
            return -1;
        }
        if (random.nextDouble() < lossRate) {
            randomDrops++;
            return -1;
        }
        busyUntilMicros = Math.max(busyUntilMicros, nowMicros) + sizeBytes * 8_000_000L / capacityBps;
        long jitter = jitterMicros > 0 ? (long) (random.nextDouble() * jitterMicros) : 0;
        return busyUntilMicros + propagationMicros + jitter;
    }
}
