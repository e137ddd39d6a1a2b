package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketViewTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // A Chromium-style VP8 packet: one-byte extensions (id 3 = transport-cc, id 4 = mid "0"), marker set.
    static final byte[] CHROME_VP8 = hex(
            "90e0 1234 00bc614e 11223344"
            + "bede 0002 31 0102 40 30 000000"
            + "9080 01 02 03");

    @Test
    void parsesFixedHeaderAndOneByteExtensions() {
        RtpPacketView v = new RtpPacketView().wrap(CHROME_VP8, 0, CHROME_VP8.length);
        assertTrue(v.marker());
        assertEquals(96, v.payloadType());
        assertEquals(0x1234, v.sequenceNumber());
        assertEquals(12345678L, v.timestamp());
        assertEquals(0x11223344L, v.ssrc());
        assertEquals(RtpPacketView.PROFILE_ONE_BYTE, v.extensionProfile());
        assertEquals(0x0102, v.transportSequenceNumber(3));
        int mid = v.findExtension(4);
        assertEquals(1, v.extensionLength(mid));
        assertEquals('0', CHROME_VP8[mid]);
        assertEquals(-1, v.findExtension(5));
        assertEquals(24, v.headerLength());
        assertEquals(5, v.payloadLength());
    }

    @Test
    void rewritesHeaderFieldsInPlaceWithoutTouchingThePayload() {
        byte[] b = CHROME_VP8.clone();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        v.setSsrc(0xCAFEBABEL);
        v.setSequenceNumber(0xFFFF);
        v.setTimestamp(0xFFFFFFFFL);
        v.setPayloadType(100);
        v.setMarker(false);
        assertTrue(v.setTransportSequenceNumber(3, 0xABCD));
        v.remapExtensionIds(new int[] {0, 0, 0, 5, 9});
        RtpPacketView again = new RtpPacketView().wrap(b, 0, b.length);
        assertEquals(0xCAFEBABEL, again.ssrc());
        assertEquals(0xFFFF, again.sequenceNumber());
        assertEquals(0xFFFFFFFFL, again.timestamp());
        assertEquals(100, again.payloadType());
        assertFalse(again.marker());
        assertEquals(0xABCD, again.transportSequenceNumber(5));
        assertEquals(-1, again.findExtension(3));
        assertEquals('0', b[again.findExtension(9)]);
        assertArrayEquals(hex("9080010203"), java.util.Arrays.copyOfRange(b, again.payloadOffset(), b.length));
    }

    @Test
    void matchesSdesExtensionsAndRewritesAbsSendTime() {
        RtpPacket p = RtpPacket.of(96, 1, 2, 3, false, new byte[] {1}).withExtensions(List.of(
                new RtpHeaderExtension(2, new byte[] {0x12, 0x34, 0x56}),
                new RtpHeaderExtension(10, new byte[] {'h'})));
        byte[] b = p.marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertTrue(v.extensionEquals(10, new byte[] {'h'}));
        assertFalse(v.extensionEquals(10, new byte[] {'f'}));
        assertFalse(v.extensionEquals(11, new byte[] {'h'}));
        assertEquals(0x123456, v.extensionUnsigned(2));
        assertTrue(v.setExtensionUnsigned(2, 0xABCDEF01L)); // keeps the low 24 bits
        assertEquals(0xCDEF01, v.extensionUnsigned(2));
        assertFalse(v.setExtensionUnsigned(7, 1));
        assertEquals(-1, v.extensionUnsigned(7));
    }

    @Test
    void wrapsAtAnOffsetInsideALargerBuffer() {
        byte[] big = new byte[CHROME_VP8.length + 20];
        System.arraycopy(CHROME_VP8, 0, big, 7, CHROME_VP8.length);
        RtpPacketView v = new RtpPacketView().wrap(big, 7, CHROME_VP8.length);
        assertEquals(0x0102, v.transportSequenceNumber(3));
        assertEquals(7 + 24, v.payloadOffset());
    }

    @Test
    void twoByteExtensionsAllowZeroLengthAndLargeIds() {
        RtpPacket p = RtpPacket.of(111, 1, 2, 3, false, new byte[] {9})
                .withExtensions(List.of(new RtpHeaderExtension(200, new byte[0]),
                        new RtpHeaderExtension(1, new byte[20])));
        byte[] b = p.marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertEquals(RtpPacketView.PROFILE_TWO_BYTE, v.extensionProfile());
        assertEquals(0, v.extensionLength(v.findExtension(200)));
        assertEquals(20, v.extensionLength(v.findExtension(1)));
        assertEquals(p.withExtensions(p.extensions()), RtpPacket.parse(b).withExtensions(p.extensions()));
    }

    @Test
    void paddingIsExcludedFromThePayloadAndCanBeStripped() {
        byte[] b = RtpPacket.of(96, 7, 8, 9, true, new byte[] {1, 2, 3}).withPadding(5).marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertEquals(5, v.paddingLength());
        assertEquals(3, v.payloadLength());
        assertEquals(15, v.stripPadding());
        assertFalse(v.hasPadding());
        assertEquals(3, v.payloadLength());
    }

    @Test
    void paddingOnlyProbeHasEmptyPayload() {
        byte[] b = RtpPacket.of(96, 7, 8, 9, false, new byte[0]).withPadding(224).marshal();
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertEquals(0, v.payloadLength());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("truncated fixed header", "80600001000000"),
                Arguments.of("version 1", "40600001 00000001 00000002"),
                Arguments.of("version 0", "00600001 00000001 00000002"),
                Arguments.of("CSRC count past end", "83600001 00000001 00000002 00000003"),
                Arguments.of("extension header missing", "90600001 00000001 00000002 bede"),
                Arguments.of("extension length past end", "90600001 00000001 00000002 bede0002 10aa0000"),
                Arguments.of("one-byte element past block", "90600001 00000001 00000002 bede0001 13aabbcc"),
                Arguments.of("two-byte element past block", "90600001 00000001 00000002 10000001 0105aabb"),
                Arguments.of("two-byte element header cut", "90600001 00000001 00000002 10000001 000000 07"),
                Arguments.of("padding larger than payload", "a0600001 00000001 00000002 aa 05"),
                Arguments.of("padding count zero", "a0600001 00000001 00000002 aa 00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPackets(String name, String hexBytes) {
        byte[] b = hex(hexBytes);
        assertThrows(RtpParseException.class, () -> new RtpPacketView().wrap(b, 0, b.length));
    }

    @Test
    void rejectsBoundsOutsideTheBuffer() {
        assertThrows(RtpParseException.class, () -> new RtpPacketView().wrap(CHROME_VP8, 10, CHROME_VP8.length));
        assertThrows(RtpParseException.class, () -> new RtpPacketView().wrap(CHROME_VP8, -1, 12));
    }

    @Test
    void reservedOneByteIdStopsExtensionProcessing() {
        byte[] b = hex("90600001 00000001 00000002 bede0001 f0 11 ffff aa");
        RtpPacketView v = new RtpPacketView().wrap(b, 0, b.length);
        assertEquals(-1, v.findExtension(1));
    }

    @Test
    void demultiplexesRtpFromRtcp() {
        assertTrue(RtpPacketView.looksLikeRtp(CHROME_VP8, 0, CHROME_VP8.length));
        byte[] rr = hex("80c90001 00000001 00000000 00000000");
        assertFalse(RtpPacketView.looksLikeRtp(rr, 0, rr.length));
    }
}
