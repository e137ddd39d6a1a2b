package dev.parley.sfu.bwe;

/**
 * Throughput the receiver acknowledged, over a sliding window of receive time: what the
 * bottleneck actually carried, the input for the rate controller's decrease
 * (draft-ietf-rmcat-gcc-02 §5.5 "R_hat(i)"). Fixed-size ring; no allocation per packet.
 */
final class AcknowledgedBitrate {
    static final long WINDOW_MICROS = 500_000;
    private static final long MIN_SPAN_MICROS = 150_000;
    private static final int CAPACITY = 1 << 13;

    private final long[] arrivals = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private int head;
    private int count;
    private long bytesInWindow;
    private long firstArrival = Long.MIN_VALUE;

    /** One received packet; one older than the newest (reported late) counts as arriving with it. */
    void add(long arrivalMicros, int sizeBytes) {
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = arrivalMicros;
        }
        if (count > 0) {
            arrivalMicros = Math.max(arrivalMicros, arrivals[(head + count - 1) & (CAPACITY - 1)]);
        }
        if (count == CAPACITY) {
            dropOldest();
        }
        int tail = (head + count) & (CAPACITY - 1);
        arrivals[tail] = arrivalMicros;
        sizes[tail] = sizeBytes;
        count++;
        bytesInWindow += sizeBytes;
        while (count > 0 && arrivals[head] <= arrivalMicros - WINDOW_MICROS) {
            dropOldest();
        }
    }

    private void dropOldest() {
        bytesInWindow -= sizes[head];
        head = (head + 1) & (CAPACITY - 1);
        count--;
    }

    /** Bits per second over the window, or 0 until {@link #MIN_SPAN_MICROS} of arrivals were seen. */
    long bitrateBps() {
        if (count == 0) {
            return 0;
        }
        long newest = arrivals[(head + count - 1) & (CAPACITY - 1)];
        long span = Math.min(WINDOW_MICROS, newest - firstArrival);
        if (span < MIN_SPAN_MICROS) {
            return 0;
        }
        return bytesInWindow * 8_000_000L / span;
    }
}
