package dev.parley.codec.rtp;

/**
 * Modular arithmetic on 16-bit RTP sequence numbers and 32-bit timestamps (RFC 3550 §A.1).
 *
 * <p>Half the number space is "ahead" and half "behind"; that is the only ordering a receiver
 * can use once values wrap.
 */
public final class SequenceNumbers {
    private SequenceNumbers() {}

    /** Signed distance {@code a - b} in (-32768, 32767]: positive when {@code a} is newer. */
    public static int diff(int a, int b) {
        return (short) ((a - b) & 0xFFFF);
    }

    /** True when {@code a} comes after {@code b} taking wraparound into account. */
    public static boolean isNewer(int a, int b) {
        int d = (a - b) & 0xFFFF;
        return d != 0 && d < 0x8000;
    }

    /** {@code seq + delta} modulo 2^16. */
    public static int add(int seq, int delta) {
        return (seq + delta) & 0xFFFF;
    }

    /** Signed distance between two 32-bit RTP timestamps held in the low bits of longs or ints. */
    public static int timestampDiff(long a, long b) {
        return (int) (a - b);
    }

    /** True when timestamp {@code a} comes after {@code b} taking wraparound into account. */
    public static boolean isNewerTimestamp(long a, long b) {
        return timestampDiff(a, b) > 0;
    }
}
