package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtp.RtpHeaderExtension;
import dev.parley.codec.rtp.RtpPacket;
import dev.parley.codec.rtp.RtpPacketView;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportSequenceStamperTest {
    private static final byte[] PAYLOAD = {9, 8, 7, 6, 5, 4};

    @Test
    void stampsConsecutiveNumbersAcrossSsrcsAndWraps() {
        TransportSequenceStamper stamper = new TransportSequenceStamper(3, 65_535);
        byte[] dst = new byte[1500];
        byte[] video = RtpPacket.of(96, 100, 1, 0x1111, true, PAYLOAD).marshal();
        byte[] audio = RtpPacket.of(111, 200, 2, 0x2222, false, PAYLOAD).marshal();
        int n = stamper.stamp(video, 0, video.length, dst, 0);
        assertTrue(n <= video.length + TransportSequenceStamper.MAX_GROWTH);
        RtpPacket first = RtpPacket.parse(dst, 0, n);
        assertEquals(65_535, new RtpPacketView().wrap(dst, 0, n).transportSequenceNumber(3));
        assertArrayEquals(PAYLOAD, first.payload());
        assertEquals(100, first.sequenceNumber());
        assertEquals(0x1111, first.ssrc());
        assertTrue(first.marker());
        n = stamper.stamp(audio, 0, audio.length, dst, 0);
        assertEquals(0, new RtpPacketView().wrap(dst, 0, n).transportSequenceNumber(3), "wrapped to 0");
        assertEquals(1, stamper.nextSequence());
    }

    @Test
    void keepsOtherExtensionsAndOverwritesAnExistingTransportSequence() {
        TransportSequenceStamper stamper = new TransportSequenceStamper(5, 42);
        byte[] withMid = RtpPacket.of(96, 1, 2, 3, false, PAYLOAD)
                .withExtensions(List.of(new RtpHeaderExtension(1, new byte[] {'0'}))).marshal();
        byte[] dst = new byte[1500];
        int n = stamper.stamp(withMid, 0, withMid.length, dst, 0);
        RtpPacket out = RtpPacket.parse(dst, 0, n);
        assertArrayEquals(new byte[] {'0'}, out.extension(1));
        assertArrayEquals(new byte[] {0, 42}, out.extension(5));

        byte[] already = RtpPacket.of(96, 1, 2, 3, false, PAYLOAD)
                .withExtensions(List.of(new RtpHeaderExtension(5, new byte[] {0x7F, 0x7F}))).marshal();
        n = stamper.stamp(already, 0, already.length, dst, 0);
        assertEquals(already.length, n, "rewritten in place, not appended");
        assertArrayEquals(new byte[] {0, 43}, RtpPacket.parse(dst, 0, n).extension(5));
    }
}
