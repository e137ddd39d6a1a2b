package dev.parley.rtc.srtp;

/**
 * RFC 3711 §3.3.2 replay list as a sliding bitmap over packet indices. The size is a power of
 * two at least 64 (the RFC's minimum); RTP uses 1024, as libwebrtc does, so video bursts that
 * arrive reordered or are retransmitted late are not mistaken for replays.
 */
final class ReplayWindow {
    static final int ACCEPT = 0;

    private final long[] bits;
    private final int size;
    private long highest = -1;

    ReplayWindow(int size) {
        if (size < 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("window must be a power of two >= 64: " + size);
        }
        this.size = size;
        this.bits = new long[size / 64];
    }

    /** {@link #ACCEPT}, or the failure code for an index already seen or too old to judge. */
    int check(long index) {
        if (index > highest) {
            return ACCEPT;
        }
        if (highest - index >= size) {
            return SrtpFailure.TOO_OLD.code();
        }
        int slot = (int) (index & (size - 1));
        return (bits[slot >>> 6] & (1L << slot)) != 0 ? SrtpFailure.REPLAYED.code() : ACCEPT;
    }

    /** Records an authenticated index; call only after {@link #check} accepted it. */
    void accept(long index) {
        if (index > highest) {
            long advance = highest < 0 ? size : index - highest;
            if (advance >= size) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    int slot = (int) (i & (size - 1));
                    bits[slot >>> 6] &= ~(1L << slot);
                }
            }
            highest = index;
        }
        int slot = (int) (index & (size - 1));
        bits[slot >>> 6] |= 1L << slot;
    }

    long highest() {
        return highest;
    }
}
