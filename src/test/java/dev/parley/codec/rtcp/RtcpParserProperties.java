package dev.parley.codec.rtcp;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.*;

/** Fuzz-style properties for the RTCP parsers and the transport-cc chunk encoder. */
class RtcpParserProperties {
    private static final byte[] VALID_COMPOUND = Rtcp.marshalCompound(List.of(
            new SenderReport(1, 2, 3, 4, 5, List.of(new ReportBlock(9, 1, 2, 3, 4, 5, 6))),
            SourceDescription.cname(1, "cname"),
            GenericNack.of(1, 2, 10, 12, 40),
            new PictureLossIndication(1, 2),
            FullIntraRequest.of(1, 2, 3),
            new ReceiverEstimatedMaxBitrate(1, 300_000, List.of(2L)),
            new TransportWideCcFeedback(1, 2, 5, 6, 7, new int[] {1, 0, 2, 1, 1, 1, 1, 1, 0},
                    new int[] {1, -1, 2, 3, 4, 5, 6}),
            new Goodbye(List.of(1L), "bye")));

    @Property(tries = 3000)
    void randomBytesOnlyThrowTheTypedException(@ForAll byte[] bytes) {
        exercise(bytes);
    }

    @Property(tries = 3000)
    void randomFeedbackBodiesOnlyThrowTheTypedException(@ForAll("feedbackTypes") int typeAndFmt, @ForAll byte[] body) {
        byte[] b = new byte[4 + (body.length & ~3)];
        System.arraycopy(body, 0, b, 4, b.length - 4);
        b[0] = (byte) (0x80 | (typeAndFmt & 0x1F));
        b[1] = (byte) (typeAndFmt >>> 8);
        b[2] = (byte) ((b.length / 4 - 1) >>> 8);
        b[3] = (byte) (b.length / 4 - 1);
        exercise(b);
    }

    @Provide
    Arbitrary<Integer> feedbackTypes() {
        return Arbitraries.of(200 << 8 | 1, 201 << 8 | 1, 202 << 8 | 2, 203 << 8 | 1,
                205 << 8 | 1, 205 << 8 | 15, 206 << 8 | 1, 206 << 8 | 4, 206 << 8 | 15);
    }

    @Property(tries = 3000)
    void mutatedValidCompoundsOnlyThrowTheTypedException(
            @ForAll("positions") List<Integer> positions, @ForAll byte value, @ForAll("cut") int cut) {
        byte[] b = VALID_COMPOUND.clone();
        for (int p : positions) {
            b[p] ^= value;
        }
        exercise(Arrays.copyOf(b, Math.min(cut, b.length)));
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, VALID_COMPOUND.length - 1).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, VALID_COMPOUND.length);
    }

    @Property(tries = 1000)
    void transportCcStatusesSurviveMarshal(@ForAll("statusLists") int[] statuses) {
        int received = 0;
        for (int s : statuses) {
            if (s != 0) {
                received++;
            }
        }
        int[] deltas = new int[received];
        for (int i = 0, d = 0; i < statuses.length; i++) {
            if (statuses[i] == 1) {
                deltas[d++] = i % 256;
            } else if (statuses[i] == 2) {
                deltas[d++] = -i;
            }
        }
        TransportWideCcFeedback fb = new TransportWideCcFeedback(1, 2, 3, 4, 5, statuses, deltas);
        byte[] wire = fb.marshal();
        if (!fb.equals(Rtcp.parseCompound(wire).get(0))) {
            throw new AssertionError("round trip changed the feedback");
        }
    }

    @Provide
    Arbitrary<int[]> statusLists() {
        return Arbitraries.integers().between(0, 2).list().ofMaxSize(300)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void exercise(byte[] bytes) {
        try {
            RtcpCompoundIterator it = new RtcpCompoundIterator().reset(bytes, 0, bytes.length);
            while (it.next()) {
                it.senderSsrc();
                it.mediaSsrc();
                if (it.packetType() == RtcpPacketType.RTPFB && it.countOrFormat() == RtcpPacketType.FMT_NACK) {
                    GenericNack.forEachLost(it, seq -> { });
                }
            }
        } catch (RtcpParseException expected) {
            // the only failure the iterator may report
        }
        try {
            for (RtcpPacket p : Rtcp.parseCompound(bytes)) {
                p.marshal();
                if (p instanceof GenericNack nack) {
                    nack.lostSequenceNumbers();
                }
                if (p instanceof TransportWideCcFeedback fb) {
                    fb.arrivalMicros();
                }
            }
        } catch (RtcpParseException expected) {
            // the only failure a parser may report
        }
    }
}
