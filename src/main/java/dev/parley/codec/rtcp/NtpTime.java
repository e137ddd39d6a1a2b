package dev.parley.codec.rtcp;

/**
 * 64-bit NTP timestamps as carried in SR (RFC 3550 §4, §6.4.1): seconds since 1900 in the high
 * word, binary fraction in the low word; and the "compact" middle 32 bits used for LSR/DLSR
 * and round-trip time.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private NtpTime() {}

    public static long fromUnixMicros(long unixMicros) {
        long seconds = Math.floorDiv(unixMicros, 1_000_000L) + UNIX_EPOCH_OFFSET_SECONDS;
        long micros = Math.floorMod(unixMicros, 1_000_000L);
        long fraction = (micros << 32) / 1_000_000L;
        return (seconds << 32) | fraction;
    }

    public static long toUnixMicros(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_EPOCH_OFFSET_SECONDS;
        long fraction = ntp & 0xFFFFFFFFL;
        return seconds * 1_000_000L + ((fraction * 1_000_000L) >>> 32);
    }

    /** The middle 32 bits (16.16 fixed point seconds). */
    public static long compact(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }

    /**
     * Round-trip time in microseconds from a report block received at {@code nowNtp}
     * (RFC 3550 §6.4.1: A - LSR - DLSR), or -1 when the block has no LSR yet.
     */
    public static long roundTripMicros(ReportBlock block, long nowNtp) {
        if (block.lastSenderReport() == 0) {
            return -1;
        }
        long rtt = (compact(nowNtp) - block.lastSenderReport() - block.delaySinceLastSenderReport()) & 0xFFFFFFFFL;
        if (rtt > 0x7FFFFFFFL) {
            return 0; // clock jitter made it "negative"
        }
        return (rtt * 1_000_000L) >>> 16;
    }
}
