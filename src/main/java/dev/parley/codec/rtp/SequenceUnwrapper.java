package dev.parley.codec.rtp;

/**
 * Extends 16-bit sequence numbers to a monotonic 64-bit counter with rollover
 * (RFC 3550 §A.1 "extended highest sequence number", RFC 3711 §3.3.1 ROC estimation).
 *
 * <p>Late (reordered) packets from before a wrap map back to the previous cycle, which is what
 * NACK caches and SRTP index estimation need. One instance per stream; not thread-safe.
 */
public final class SequenceUnwrapper {
    private long highest = -1;

    /**
     * Returns the extended value of {@code seq} and advances the highest seen if it is newer.
     * Values below the first packet's number (reordering at stream start) come back negative.
     */
    public long unwrap(int seq) {
        seq &= 0xFFFF;
        if (highest < 0) {
            highest = seq;
            return seq;
        }
        // May be negative for a packet reordered from before the first one seen; mapping it into
        // cycle 0 instead would collide with a later packet of the same number.
        long extended = highest + SequenceNumbers.diff(seq, (int) (highest & 0xFFFF));
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** Highest extended sequence number seen, or -1 before the first packet. */
    public long highest() {
        return highest;
    }

    /** Number of times the 16-bit counter has wrapped (the RTCP "cycles" field). */
    public int cycles() {
        return highest < 0 ? 0 : (int) (highest >>> 16);
    }
}
