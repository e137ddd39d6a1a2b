package dev.parley.codec.h264;

import net.jqwik.api.*;

/** Fuzz-style property: H.264 inspection throws nothing but H264ParseException. */
class H264PayloadProperties {
    @Property(tries = 5000)
    void randomBytesOnlyThrowTheTypedException(@ForAll byte[] bytes, @ForAll("types") int type) {
        if (bytes.length > 0 && type >= 0) {
            bytes[0] = (byte) ((bytes[0] & 0x60) | type); // steer towards STAP/FU headers
        }
        try {
            H264Payload.isKeyFrame(bytes, 0, bytes.length);
        } catch (H264ParseException expected) {
            // the only failure allowed
        }
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.of(-1, 1, 5, 7, 24, 25, 28, 29);
    }
}
