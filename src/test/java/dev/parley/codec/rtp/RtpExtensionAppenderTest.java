package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtpExtensionAppenderTest {
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};

    private static RtpPacket appendAndParse(RtpPacket original, int id, byte[] value) {
        byte[] src = original.marshal();
        RtpPacketView view = new RtpPacketView().wrap(src, 0, src.length);
        byte[] dst = new byte[1500];
        int n = RtpExtensionAppender.copyAdding(view, id, value.length, dst, 0);
        RtpPacketView out = new RtpPacketView().wrap(dst, 0, n);
        System.arraycopy(value, 0, dst, out.findExtension(id), value.length);
        return RtpPacket.parse(dst, 0, n);
    }

    @Test
    void addsATransportCcElementToAPacketWithoutExtensions() {
        RtpPacket original = RtpPacket.of(96, 10, 20, 30, true, PAYLOAD).withPadding(3);
        RtpPacket out = appendAndParse(original, 5, new byte[] {0x12, 0x34});
        assertEquals(RtpPacketView.PROFILE_ONE_BYTE, out.extensionProfile());
        assertArrayEquals(new byte[] {0x12, 0x34}, out.extension(5));
        assertArrayEquals(PAYLOAD, out.payload());
        assertEquals(3, out.paddingLength());
        assertTrue(out.marker());
        assertEquals(30, out.ssrc());
    }

    @Test
    void keepsExistingOneByteElementsAndDropsTheirPadding() {
        RtpPacket original = new RtpPacket(false, 111, 1, 2, 3, List.of(77L), 0, List.of(
                new RtpHeaderExtension(1, new byte[] {(byte) 0x85}),
                new RtpHeaderExtension(4, new byte[] {'0'})), PAYLOAD, 0);
        RtpPacket out = appendAndParse(original, 3, new byte[] {0, 9});
        assertEquals(List.of(77L), out.csrcs());
        assertEquals(List.of(new RtpHeaderExtension(1, new byte[] {(byte) 0x85}),
                new RtpHeaderExtension(4, new byte[] {'0'}),
                new RtpHeaderExtension(3, new byte[] {0, 9})), out.extensions());
        assertArrayEquals(PAYLOAD, out.payload());
    }

    @Test
    void switchesToTwoByteFormWhenTheNewElementNeedsIt() {
        RtpPacket original = RtpPacket.of(96, 1, 2, 3, false, PAYLOAD)
                .withExtensions(List.of(new RtpHeaderExtension(2, new byte[] {7, 7, 7})));
        RtpPacket out = appendAndParse(original, 20, new byte[0]);
        assertEquals(RtpPacketView.PROFILE_TWO_BYTE, out.extensionProfile());
        assertArrayEquals(new byte[] {7, 7, 7}, out.extension(2));
        assertArrayEquals(new byte[0], out.extension(20));
    }

    @Test
    void refusesDuplicatesAndTinyBuffers() {
        byte[] src = RtpPacket.of(96, 1, 2, 3, false, PAYLOAD)
                .withExtensions(List.of(new RtpHeaderExtension(2, new byte[] {1}))).marshal();
        RtpPacketView view = new RtpPacketView().wrap(src, 0, src.length);
        assertThrows(IllegalArgumentException.class, () -> RtpExtensionAppender.copyAdding(view, 2, 1, new byte[100], 0));
        assertThrows(IllegalArgumentException.class, () -> RtpExtensionAppender.copyAdding(view, 3, 2, new byte[10], 0));
        assertThrows(IllegalArgumentException.class, () -> RtpExtensionAppender.copyAdding(view, 3, 2, src, 0));
    }
}
