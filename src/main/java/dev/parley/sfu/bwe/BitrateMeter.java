package dev.parley.sfu.bwe;

/**
 * Bits per second over the last second, in ten 100 ms buckets: what a producer's simulcast layer
 * currently costs, for {@link BitrateAllocator.Demand#layerBps()}. One per layer; no allocation
 * per packet; not thread-safe.
 */
public final class BitrateMeter {
    private static final int BUCKETS = 10;
    private static final long BUCKET_MICROS = 100_000;

    private final long[] bytes = new long[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;
    private long total;

    /** Counts {@code sizeBytes} received at {@code nowMicros} (monotonic). */
    public void add(int sizeBytes, long nowMicros) {
        advance(nowMicros);
        bytes[(int) Math.floorMod(currentBucket, (long) BUCKETS)] += sizeBytes;
        total += sizeBytes;
    }

    /** The rate over the last second; 0 once nothing arrived for a second. */
    public long bitrateBps(long nowMicros) {
        advance(nowMicros);
        return total * 8;
    }

    private void advance(long nowMicros) {
        long bucket = Math.floorDiv(nowMicros, BUCKET_MICROS);
        if (currentBucket == Long.MIN_VALUE) {
            currentBucket = bucket;
            return;
        }
        if (bucket <= currentBucket) {
            return;
        }
        long steps = Math.min(bucket - currentBucket, BUCKETS);
        for (long s = 1; s <= steps; s++) {
            int slot = (int) Math.floorMod(currentBucket + s, (long) BUCKETS);
            total -= bytes[slot];
            bytes[slot] = 0;
        }
        currentBucket = bucket;
    }
}
