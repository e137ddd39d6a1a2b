package dev.parley.codec.vp8;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Vp8PayloadViewTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** First packet of a 640x480 key frame as Chromium sends it: 15-bit PictureID, TL0PICIDX, TID. */
    static final byte[] KEY_FRAME = hex("90 e0 8123 05 20 | 504200 9d012a 8002 e001 0102030405".replace("|", ""));
    /** A following inter frame: P bit set in the payload header. */
    static final byte[] INTER_FRAME = hex("90 e0 8124 05 40 310100 aabbcc");
    /** A continuation packet of a frame: S=0. */
    static final byte[] CONTINUATION = hex("80 80 0a 9d012a 8002 e001 00");

    @Test
    void readsDescriptorFields() {
        Vp8PayloadView v = new Vp8PayloadView().wrap(KEY_FRAME, 0, KEY_FRAME.length);
        assertTrue(v.startOfPartition());
        assertEquals(0, v.partitionIndex());
        assertTrue(v.longPictureId());
        assertEquals(0x0123, v.pictureId());
        assertEquals(5, v.tl0PicIdx());
        assertEquals(0, v.temporalLayerId());
        assertTrue(v.layerSync());
        assertEquals(-1, v.keyIndex());
        assertEquals(6, v.descriptorLength());
    }

    @Test
    void detectsKeyFramesAndTheirSize() {
        Vp8PayloadView v = new Vp8PayloadView().wrap(KEY_FRAME, 0, KEY_FRAME.length);
        assertTrue(v.isKeyFrame());
        assertEquals(640, v.keyFrameWidth());
        assertEquals(480, v.keyFrameHeight());
        assertFalse(new Vp8PayloadView().wrap(INTER_FRAME, 0, INTER_FRAME.length).isKeyFrame());
        assertFalse(new Vp8PayloadView().wrap(CONTINUATION, 0, CONTINUATION.length).isKeyFrame());
        assertEquals(-1, new Vp8PayloadView().wrap(INTER_FRAME, 0, INTER_FRAME.length).keyFrameWidth());
    }

    @Test
    void rewritesPictureIdAndTl0InPlaceKeepingWidths() {
        byte[] b = INTER_FRAME.clone();
        Vp8PayloadView v = new Vp8PayloadView().wrap(b, 0, b.length);
        assertTrue(v.setPictureId(0x8001)); // wraps modulo 2^15
        assertTrue(v.setTl0PicIdx(300)); // wraps modulo 2^8
        assertTrue(v.setTemporalLayerId(2, true));
        assertEquals(1, v.pictureId());
        assertEquals(44, v.tl0PicIdx());
        assertEquals(2, v.temporalLayerId());
        assertTrue(v.layerSync());
        assertFalse(v.setKeyIndex(3)); // K bit clear
        assertArrayEquals(hex("310100aabbcc"), java.util.Arrays.copyOfRange(b, v.payloadOffset(), b.length));

        byte[] shortId = CONTINUATION.clone();
        Vp8PayloadView s = new Vp8PayloadView().wrap(shortId, 0, shortId.length);
        assertFalse(s.longPictureId());
        s.setPictureId(200);
        assertEquals(200 & 0x7F, s.pictureId());
        assertFalse(s.setTl0PicIdx(1));
    }

    @Test
    void keyIndexRewriteKeepsTid() {
        Vp8PayloadDescriptor d = new Vp8PayloadDescriptor(false, true, 0, -1, false, -1, 1, false, 7);
        byte[] b = new byte[d.length() + 1];
        d.marshalTo(b, 0);
        b[b.length - 1] = 0x31;
        Vp8PayloadView v = new Vp8PayloadView().wrap(b, 0, b.length);
        assertEquals(7, v.keyIndex());
        v.setKeyIndex(30);
        assertEquals(30, v.keyIndex());
        assertEquals(1, v.temporalLayerId());
    }

    static Stream<Vp8PayloadDescriptor> descriptors() {
        return Stream.of(
                new Vp8PayloadDescriptor(false, true, 0, -1, false, -1, -1, false, -1),
                new Vp8PayloadDescriptor(true, false, 3, 127, false, -1, -1, false, -1),
                new Vp8PayloadDescriptor(false, true, 0, 32767, true, 255, 3, true, 31),
                new Vp8PayloadDescriptor(false, true, 0, -1, false, 9, -1, false, -1));
    }

    @ParameterizedTest
    @MethodSource("descriptors")
    void descriptorRoundTrips(Vp8PayloadDescriptor d) {
        byte[] b = new byte[d.length() + 1];
        d.marshalTo(b, 0);
        b[b.length - 1] = 1;
        Vp8PayloadView v = new Vp8PayloadView().wrap(b, 0, b.length);
        assertEquals(d, Vp8PayloadDescriptor.from(v));
        assertEquals(d.length(), v.descriptorLength());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("X without extension byte", "80"),
                Arguments.of("I without PictureID", "8080"),
                Arguments.of("long PictureID cut", "808080"),
                Arguments.of("L without TL0PICIDX", "8040"),
                Arguments.of("T without TID byte", "8020"),
                Arguments.of("descriptor only", "90e0812305"),
                Arguments.of("descriptor only, no extension", "10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedDescriptors(String name, String hexBytes) {
        byte[] b = hex(hexBytes);
        assertThrows(Vp8ParseException.class, () -> new Vp8PayloadView().wrap(b, 0, b.length));
    }
}
