package dev.parley.codec.rtp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    static Stream<RtpPacket> packets() {
        byte[] payload = {1, 2, 3, 4, 5};
        return Stream.of(
                RtpPacket.of(0, 0, 0, 0, false, new byte[0]),
                RtpPacket.of(127, 65535, 0xFFFFFFFFL, 0xFFFFFFFFL, true, payload),
                new RtpPacket(false, 96, 10, 20, 30, List.of(1L, 2L, 0xFFFFFFFFL), 0, List.of(), payload, 0),
                RtpPacket.of(111, 5, 960, 42, false, payload).withExtensions(List.of(
                        new RtpHeaderExtension(1, new byte[] {(byte) 0x85}),
                        new RtpHeaderExtension(14, new byte[16]))),
                RtpPacket.of(111, 5, 960, 42, false, payload).withExtensions(List.of(
                        new RtpHeaderExtension(15, new byte[] {1, 2}),
                        new RtpHeaderExtension(255, new byte[255]))).withPadding(3),
                new RtpPacket(false, 96, 1, 2, 3, List.of(), 0x1234, List.of(new RtpHeaderExtension(0, new byte[8])),
                        payload, 1));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void marshalThenParseIsIdentity(RtpPacket p) {
        byte[] wire = p.marshal();
        assertEquals(p.marshalledLength(), wire.length);
        RtpPacket back = RtpPacket.parse(wire);
        assertArrayEquals(wire, back.marshal());
        assertEquals(p.extensions(), back.extensions());
        assertArrayEquals(p.payload(), back.payload());
        assertEquals(p.sequenceNumber(), back.sequenceNumber());
        assertEquals(p.ssrc(), back.ssrc());
        assertEquals(p.csrcs(), back.csrcs());
    }
}
