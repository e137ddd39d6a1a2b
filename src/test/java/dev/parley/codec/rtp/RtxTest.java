package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtxTest {
    @Test
    void wrapThenUnwrapRestoresTheOriginalPacket() {
        RtpPacket original = RtpPacket.of(96, 4242, 90000, 1111, true, new byte[] {10, 20, 30})
                .withExtensions(List.of(new RtpHeaderExtension(3, new byte[] {0, 7})));
        byte[] src = original.marshal();
        RtpPacketView view = new RtpPacketView().wrap(src, 0, src.length);
        byte[] rtx = new byte[1500];
        int n = Rtx.wrap(view, rtx, 0, 2222, 97, 17);

        RtpPacketView r = new RtpPacketView().wrap(rtx, 0, n);
        assertEquals(2222, r.ssrc());
        assertEquals(97, r.payloadType());
        assertEquals(17, r.sequenceNumber());
        assertEquals(4242, Rtx.originalSequenceNumber(r));
        assertEquals(5, r.payloadLength());

        int m = Rtx.unwrap(r, 1111, 96);
        assertArrayEquals(src, java.util.Arrays.copyOf(rtx, m));
    }

    @Test
    void unwrapDropsPadding() {
        byte[] b = RtpPacket.of(97, 1, 2, 3, false, new byte[] {0, 9, 5}).withPadding(4).marshal();
        RtpPacketView r = new RtpPacketView().wrap(b, 0, b.length);
        int m = Rtx.unwrap(r, 77, 96);
        RtpPacket back = RtpPacket.parse(b, 0, m);
        assertEquals(9, back.sequenceNumber());
        assertArrayEquals(new byte[] {5}, back.payload());
        assertEquals(0, back.paddingLength());
    }

    @Test
    void rtxWithoutOsnIsRejected() {
        byte[] b = RtpPacket.of(97, 1, 2, 3, false, new byte[] {1}).marshal();
        RtpPacketView r = new RtpPacketView().wrap(b, 0, b.length);
        assertThrows(RtpParseException.class, () -> Rtx.originalSequenceNumber(r));
    }
}
