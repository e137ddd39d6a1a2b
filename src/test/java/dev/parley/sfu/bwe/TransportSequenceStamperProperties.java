package dev.parley.sfu.bwe;

import static org.junit.jupiter.api.Assertions.*;

import dev.parley.codec.rtp.RtpHeaderExtension;
import dev.parley.codec.rtp.RtpPacket;
import dev.parley.codec.rtp.RtpPacketView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.*;

/** Stamping keeps everything else about a packet and grows it by at most MAX_GROWTH bytes. */
class TransportSequenceStamperProperties {
    private static final int ID = 3;

    @Property(tries = 1000)
    void stampedPacketsKeepTheirContent(@ForAll("packets") RtpPacket original, @ForAll int first) {
        TransportSequenceStamper stamper = new TransportSequenceStamper(ID, first);
        byte[] src = original.marshal();
        byte[] dst = new byte[src.length + TransportSequenceStamper.MAX_GROWTH];
        int n = stamper.stamp(src, 0, src.length, dst, 0);
        RtpPacket out = RtpPacket.parse(dst, 0, n);
        assertEquals(first & 0xFFFF, new RtpPacketView().wrap(dst, 0, n).transportSequenceNumber(ID));
        assertArrayEquals(original.payload(), out.payload());
        assertEquals(original.paddingLength(), out.paddingLength());
        assertEquals(original.sequenceNumber(), out.sequenceNumber());
        assertEquals(original.ssrc(), out.ssrc());
        assertEquals(original.timestamp(), out.timestamp());
        assertEquals(original.marker(), out.marker());
        assertEquals(original.csrcs(), out.csrcs());
        for (RtpHeaderExtension e : original.extensions()) {
            if (e.id() != ID) {
                assertArrayEquals(e.value(), out.extension(e.id()), "extension " + e.id());
            }
        }
        assertEquals((first + 1) & 0xFFFF, stamper.nextSequence());
    }

    @Provide
    Arbitrary<RtpPacket> packets() {
        Arbitrary<RtpHeaderExtension> extension = Combinators.combine(
                Arbitraries.integers().between(1, 14),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16))
                .as((id, value) -> new RtpHeaderExtension(id, id == ID ? new byte[] {1, 2} : value));
        Arbitrary<List<RtpHeaderExtension>> extensions = extension.list().ofMaxSize(5).map(list -> {
            Map<Integer, RtpHeaderExtension> unique = new LinkedHashMap<>();
            for (RtpHeaderExtension e : list) {
                unique.putIfAbsent(e.id(), e);
            }
            return new ArrayList<>(unique.values());
        });
        return Combinators.combine(
                Arbitraries.integers().between(0, 127), Arbitraries.integers().between(0, 65_535),
                Arbitraries.longs().between(0, 0xFFFFFFFFL), Arbitraries.longs().between(0, 0xFFFFFFFFL).list().ofMaxSize(3),
                extensions, Arbitraries.bytes().array(byte[].class).ofMaxSize(200), Arbitraries.integers().between(0, 40),
                Arbitraries.of(true, false))
                .as((pt, seq, ssrc, csrcs, ext, payload, padding, marker) ->
                        new RtpPacket(marker, pt, seq, 1234, ssrc, csrcs, 0, ext, payload, padding));
    }
}
