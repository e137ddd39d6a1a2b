package dev.parley.codec.rtcp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpPacketsTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static Stream<RtcpPacket> packets() {
        ReportBlock block = new ReportBlock(0x902f9e2eL, 0x0C, -3, 0x10DA9, 44, 0x12345678L, 0x10000);
        return Stream.of(
                new SenderReport(0x11111111L, 0xE1F2A3B4C5D6E7F8L, 90000, 100, 120000, List.of(block)),
                new SenderReport(1, 2, 3, 4, 5, List.of(), new byte[] {1, 2, 3, 4}),
                new ReceiverReport(0x22222222L, List.of(block, block)),
                new ReceiverReport(1, List.of()),
                SourceDescription.cname(0x33333333L, "{2a3e7b9c-cname}"),
                new SourceDescription(List.of(
                        new SourceDescription.Chunk(1, List.of(new SourceDescription.Item(1, "abc"),
                                new SourceDescription.Item(6, "tool"))),
                        new SourceDescription.Chunk(2, List.of()))),
                new Goodbye(List.of(1L, 2L), null),
                new Goodbye(List.of(3L), "leaving"),
                GenericNack.of(1, 2, 100, 101, 103, 200),
                new PictureLossIndication(0xAAAAAAAAL, 0xBBBBBBBBL),
                FullIntraRequest.of(1, 0xCCCCCCCCL, 7),
                new ReceiverEstimatedMaxBitrate(1, 1_500_000, List.of(0x1234L, 0x5678L)),
                new ReceiverEstimatedMaxBitrate(1, 100, List.of()),
                new TransportWideCcFeedback(1, 2, 65530, 0xFFFFFF, 255, new int[] {1, 0, 2, 1}, new int[] {4, -8, 255}),
                new TransportWideCcFeedback(1, 2, 0, 0, 0, new int[0], new int[0]),
                new UnknownRtcpPacket(RtcpPacketType.APP, 3, false, new byte[] {0, 0, 0, 1, 'n', 'a', 'm', 'e'}));
    }

    @ParameterizedTest
    @MethodSource("packets")
    void marshalThenParseIsIdentity(RtcpPacket packet) {
        byte[] wire = packet.marshal();
        assertEquals(0, wire.length % 4);
        List<RtcpPacket> parsed = Rtcp.parseCompound(wire);
        assertEquals(List.of(packet), parsed);
        assertArrayEquals(wire, parsed.get(0).marshal());
    }

    @Test
    void compoundPacketKeepsOrderAndSkipsUnknownTypes() {
        List<RtcpPacket> list = List.of(new ReceiverReport(5, List.of()), SourceDescription.cname(5, "c"),
                new UnknownRtcpPacket(RtcpPacketType.XR, 0, false, new byte[8]),
                new PictureLossIndication(5, 6));
        byte[] wire = Rtcp.marshalCompound(list);
        assertEquals(list, Rtcp.parseCompound(wire));

        RtcpCompoundIterator it = new RtcpCompoundIterator().reset(wire, 0, wire.length);
        int plis = 0;
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.PSFB && it.countOrFormat() == RtcpPacketType.FMT_PLI) {
                plis++;
                assertEquals(6, it.mediaSsrc());
                assertEquals(5, it.senderSsrc());
            }
        }
        assertEquals(1, plis);
    }

    @Test
    void chromeNackExpandsPidAndBitmask() {
        byte[] wire = hex("81cd0003 00000001 a1b2c3d4 0064 8005");
        GenericNack nack = (GenericNack) Rtcp.parseCompound(wire).get(0);
        assertEquals(0xa1b2c3d4L, nack.mediaSsrc());
        assertArrayEquals(new int[] {100, 101, 103, 116}, nack.lostSequenceNumbers());
    }

    @Test
    void nackCanBeExpandedStraightFromTheIterator() {
        byte[] wire = Rtcp.marshalCompound(List.of(new ReceiverReport(1, List.of()), GenericNack.of(1, 2, 7, 9, 300)));
        RtcpCompoundIterator it = new RtcpCompoundIterator().reset(wire, 0, wire.length);
        List<Integer> lost = new java.util.ArrayList<>();
        while (it.next()) {
            if (it.packetType() == RtcpPacketType.RTPFB && it.countOrFormat() == RtcpPacketType.FMT_NACK) {
                GenericNack.forEachLost(it, lost::add);
            }
        }
        assertEquals(List.of(7, 9, 300), lost);
    }

    @Test
    void nackPackingWrapsAroundSequenceZero() {
        GenericNack nack = GenericNack.of(1, 2, 65534, 65535, 0, 1, 40);
        assertEquals(2, nack.entries().size());
        assertArrayEquals(new int[] {65534, 65535, 0, 1, 40}, nack.lostSequenceNumbers());
    }

    @Test
    void transportCcRunLengthVectorWithPadding() {
        byte[] wire = hex("afcd0006 00000001 00000002 0064 0003 000010 07 2003 04080c 000003");
        TransportWideCcFeedback fb = (TransportWideCcFeedback) Rtcp.parseCompound(wire).get(0);
        assertEquals(100, fb.baseSequence());
        assertEquals(16, fb.referenceTime());
        assertEquals(7, fb.feedbackPacketCount());
        assertArrayEquals(new int[] {1, 1, 1}, fb.statuses());
        assertArrayEquals(new int[] {4, 8, 12}, fb.deltas());
        assertArrayEquals(new long[] {1_025_000, 1_027_000, 1_030_000}, fb.arrivalMicros());
        assertArrayEquals(wire, fb.marshal());
    }

    @Test
    void transportCcTwoBitVector() {
        TransportWideCcFeedback fb = new TransportWideCcFeedback(1, 2, 10, 0, 0,
                new int[] {1, 0, 2, 1}, new int[] {1, -2, 3});
        byte[] wire = fb.marshal();
        assertEquals(0xD2, wire[20] & 0xFF);
        assertEquals(0x40, wire[21] & 0xFF);
    }

    @Test
    void transportCcOneBitVectorStopsAtStatusCount() {
        // 1-bit vector 1011 0000 0000 00, but only 4 statuses: 3 received, then padding symbols ignored.
        byte[] wire = hex("8fcd0006 00000001 00000002 0000 0004 000000 00 ac00 010203 000000");
        TransportWideCcFeedback fb = (TransportWideCcFeedback) Rtcp.parseCompound(wire).get(0);
        assertArrayEquals(new int[] {1, 0, 1, 1}, fb.statuses());
        assertArrayEquals(new int[] {1, 2, 3}, fb.deltas());
    }

    @Test
    void transportCcFromArrivalsRoundsWithoutDrift() {
        long[] arrivals = {640_100, -1, 640_350, 640_600, 720_000, 650_000};
        TransportWideCcFeedback fb = TransportWideCcFeedback.fromArrivals(1, 2, 3, 65535, arrivals);
        assertEquals(10, fb.referenceTime());
        assertArrayEquals(new int[] {1, 0, 1, 1, 2, 2}, fb.statuses());
        long[] back = fb.arrivalMicros();
        for (int i = 0; i < arrivals.length; i++) {
            if (arrivals[i] < 0) {
                assertEquals(-1, back[i]);
            } else {
                assertTrue(Math.abs(back[i] - arrivals[i]) <= 125, "index " + i);
            }
        }
        assertEquals(fb, Rtcp.parseCompound(fb.marshal()).get(0));
    }

    @Test
    void transportCcLongRunsSplitIntoRunLengthChunks() {
        int[] statuses = new int[10000];
        TransportWideCcFeedback fb = new TransportWideCcFeedback(1, 2, 0, 0, 0, statuses, new int[0]);
        byte[] wire = fb.marshal();
        assertEquals(24, wire.length); // two run-length chunks: 8191 + 1809
        assertEquals(fb, Rtcp.parseCompound(wire).get(0));
    }

    @Test
    void rembMantissaAndExponent() {
        byte[] wire = new ReceiverEstimatedMaxBitrate(1, 1_500_000, List.of(7L)).marshal();
        // 1_500_000 = 187500 << 3
        assertEquals(3 << 2 | 2, wire[17] & 0xFF);
        ReceiverEstimatedMaxBitrate remb = (ReceiverEstimatedMaxBitrate) Rtcp.parseCompound(wire).get(0);
        assertEquals(1_500_000, remb.bitrate());
    }

    @Test
    void rembSaturatesHugeExponent() {
        byte[] wire = hex("8fce0004 00000001 00000000 52454d42 00ffffff");
        ReceiverEstimatedMaxBitrate remb = (ReceiverEstimatedMaxBitrate) Rtcp.parseCompound(wire).get(0);
        assertEquals(Long.MAX_VALUE, remb.bitrate());
    }

    @Test
    void cumulativeLostIsSignExtended() {
        byte[] wire = hex("81c90007 00000001 00000002 00fffffe 00000000 00000000 00000000 00000000");
        ReceiverReport rr = (ReceiverReport) Rtcp.parseCompound(wire).get(0);
        assertEquals(-2, rr.reports().get(0).cumulativeLost());
    }

    @Test
    void demultiplexesRtcpFromRtp() {
        byte[] pli = new PictureLossIndication(1, 2).marshal();
        assertTrue(Rtcp.looksLikeRtcp(pli, 0, pli.length));
        byte[] rtp = hex("80600001 00000001 00000002");
        assertFalse(Rtcp.looksLikeRtcp(rtp, 0, rtp.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated header", "80c9"),
                Arguments.of("bad version", "40c90001 00000001"),
                Arguments.of("length past end", "80c90005 00000001"),
                Arguments.of("RR count past end", "81c90001 00000001"),
                Arguments.of("SR too short", "80c80001 00000001"),
                Arguments.of("padding larger than packet", "a0c90001 000000ff"),
                Arguments.of("padding zero", "a0c90001 00000000"),
                Arguments.of("SDES item past end", "81ca0002 00000001 01ff6161"),
                Arguments.of("SDES without null item", "81ca0002 00000001 01026161"),
                Arguments.of("BYE reason past end", "81cb0002 00000001 09616263"),
                Arguments.of("BYE count past end", "82cb0001 00000001"),
                Arguments.of("NACK without media SSRC", "81cd0001 00000001"),
                Arguments.of("PLI too short", "81ce0001 00000001"),
                Arguments.of("FIR partial entry", "84ce0003 00000001 00000000 00000005"),
                Arguments.of("REMB SSRC list past end", "8fce0004 00000001 00000000 52454d42 05000001"),
                Arguments.of("TWCC chunks past end", "8fcd0004 00000001 00000002 0000 0010 000000 00"),
                Arguments.of("TWCC deltas past end", "8fcd0005 00000001 00000002 0000 0003 000000 00 2003 0102"),
                Arguments.of("TWCC reserved symbol", "8fcd0005 00000001 00000002 0000 0001 000000 00 6001 0000"),
                Arguments.of("second packet truncated", "80c90001 00000001 80c9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPackets(String name, String hexBytes) {
        byte[] b = hex(hexBytes);
        assertThrows(RtcpParseException.class, () -> Rtcp.parseCompound(b));
    }

    @Test
    void emptyInputIsAnEmptyCompound() {
        assertEquals(List.of(), Rtcp.parseCompound(new byte[0]));
    }
}
