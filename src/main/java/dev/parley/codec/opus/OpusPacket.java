package dev.parley.codec.opus;

/**
 * Frame count and duration of an Opus packet (RFC 6716 §3.2), e.g. to advance an RTP
 * timestamp when the SFU synthesises or drops audio. Allocation-free.
 */
public final class OpusPacket {
    /** RFC 6716 §3.4 R5: a packet never holds more than 120 ms of audio. */
    public static final int MAX_DURATION_MICROS = 120_000;

    private OpusPacket() {}

    /** Number of frames: 1 for code 0, 2 for codes 1 and 2, M from the count byte for code 3. */
    public static int frameCount(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            throw new OpusParseException("bounds outside buffer");
        }
        if (len < 1) {
            throw new OpusParseException("empty Opus packet");
        }
        int code = b[off] & 0x03;
        switch (code) {
            case 0:
                return 1;
            case 1:
                // §3.2.3: two equal frames, so the rest must split evenly (R3).
                if ((len - 1) % 2 != 0) {
                    throw new OpusParseException("code 1 packet with an odd payload length");
                }
                return 2;
            case 2:
                if (len < 2) {
                    throw new OpusParseException("code 2 packet without a frame length");
                }
                return 2;
            default: {
                if (len < 2) {
                    throw new OpusParseException("code 3 packet without a frame count byte");
                }
                int count = b[off + 1] & 0x3F;
                if (count == 0) {
                    throw new OpusParseException("code 3 packet with zero frames");
                }
                long duration = (long) count * OpusToc.of(b[off]).frameDurationMicros();
                if (duration > MAX_DURATION_MICROS) {
                    throw new OpusParseException("packet longer than 120 ms");
                }
                return count;
            }
        }
    }

    /** Total audio duration of the packet in microseconds. */
    public static int durationMicros(byte[] b, int off, int len) {
        int frames = frameCount(b, off, len);
        return frames * OpusToc.of(b[off]).frameDurationMicros();
    }

    /** Duration in 48 kHz RTP timestamp units (RFC 7587 §4.1: Opus always uses a 48 kHz clock). */
    public static int durationSamples48k(byte[] b, int off, int len) {
        return durationMicros(b, off, len) * 48 / 1000;
    }
}
