package dev.parley.codec.opus;

import net.jqwik.api.*;

/** Fuzz-style property: Opus inspection throws nothing but OpusParseException and durations stay sane. */
class OpusPacketProperties {
    @Property(tries = 3000)
    void randomBytesOnlyThrowTheTypedException(@ForAll byte[] bytes) {
        try {
            int micros = OpusPacket.durationMicros(bytes, 0, bytes.length);
            if (micros <= 0 || micros > OpusPacket.MAX_DURATION_MICROS) {
                throw new AssertionError("duration out of range: " + micros);
            }
        } catch (OpusParseException expected) {
            // the only failure allowed
        }
    }
}
