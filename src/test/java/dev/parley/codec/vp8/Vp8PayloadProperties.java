package dev.parley.codec.vp8;

import net.jqwik.api.*;

/** Fuzz-style properties: the VP8 view throws nothing but Vp8ParseException. */
class Vp8PayloadProperties {
    @Property(tries = 3000)
    void randomBytesOnlyThrowTheTypedException(@ForAll byte[] bytes) {
        exercise(bytes);
    }

    @Property(tries = 2000)
    void mutatedKeyFramesOnlyThrowTheTypedException(@ForAll("index") int index, @ForAll byte value,
                                                     @ForAll("cut") int cut) {
        byte[] b = Vp8PayloadViewTest.KEY_FRAME.clone();
        b[index] = value;
        exercise(java.util.Arrays.copyOf(b, cut));
    }

    @Provide
    Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, Vp8PayloadViewTest.KEY_FRAME.length - 1);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, Vp8PayloadViewTest.KEY_FRAME.length);
    }

    private static void exercise(byte[] bytes) {
        Vp8PayloadView v = new Vp8PayloadView();
        try {
            v.wrap(bytes, 0, bytes.length);
        } catch (Vp8ParseException expected) {
            return;
        }
        v.isKeyFrame();
        v.keyFrameWidth();
        v.keyFrameHeight();
        v.setPictureId(v.pictureId() + 1);
        v.setTl0PicIdx(v.tl0PicIdx() + 1);
        v.setKeyIndex(v.keyIndex() + 1);
        v.setTemporalLayerId(v.temporalLayerId(), v.layerSync());
        Vp8PayloadDescriptor.from(v);
        if (v.payloadLength() < 1) {
            throw new AssertionError("wrap accepted a payload without VP8 data");
        }
    }
}
