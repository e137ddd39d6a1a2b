package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.*;

/** Fuzz-style properties: the SDP parser throws nothing but SdpParseException, and output is stable. */
class SdpParserProperties {
    private static final String OFFER = ChromiumOfferTest.offerText();
    private static final List<String> LINES = Arrays.asList(OFFER.split("\r\n"));

    @Property(tries = 2000)
    void randomTextOnlyThrowsTheTypedException(@ForAll String text) {
        exercise(text);
    }

    @Property(tries = 2000)
    void randomLinesAfterAValidHeaderOnlyThrowTheTypedException(@ForAll("sdpishLines") List<String> lines) {
        exercise("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n" + String.join("\r\n", lines) + "\r\n");
    }

    @Provide
    Arbitrary<List<String>> sdpishLines() {
        Arbitrary<String> prefix = Arbitraries.of("a=", "m=", "c=", "t=", "b=", "a=candidate:", "a=rtpmap:",
                "a=extmap:", "a=simulcast:", "a=rid:", "a=ssrc:", "a=ssrc-group:", "a=fmtp:", "a=rtcp-fb:",
                "a=fingerprint:", "a=group:", "a=msid:", "m=video ", "a=sctp-port:");
        Arbitrary<String> tail = Arbitraries.strings().withChars("0123456789 abc/;,~:*=.-\t\u00e9").ofMaxLength(40);
        return Combinators.combine(prefix, tail).as(String::concat).list().ofMaxSize(8);
    }

    @Property(tries = 2000)
    void mutatedOffersOnlyThrowTheTypedException(
            @ForAll("lineIndex") int index, @ForAll("lineIndex") int other, @ForAll int position, @ForAll char c) {
        List<String> lines = new ArrayList<>(LINES);
        String line = lines.get(index);
        int at = Math.floorMod(position, line.length() + 1);
        lines.set(index, line.substring(0, at) + c + line.substring(Math.min(line.length(), at + 1)));
        lines.remove(other);
        String text = String.join("\r\n", lines) + "\r\n";
        exercise(text);
        if (c != '\r' && c != '\n') {
            try {
                String written = SessionDescription.parse(text).toString();
                if (!written.equals(text)) {
                    throw new AssertionError("accepted text was not written back byte for byte: " + text);
                }
            } catch (SdpParseException expected) {
                // rejected input has nothing to write back
            }
        }
    }

    @Provide
    Arbitrary<Integer> lineIndex() {
        return Arbitraries.integers().between(0, LINES.size() - 1);
    }

    private static void exercise(String text) {
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(text);
        } catch (SdpParseException expected) {
            return;
        }
        String once = sdp.toString();
        SessionDescription again = SessionDescription.parse(once);
        if (!again.equals(sdp) || !again.toString().equals(once)) {
            throw new AssertionError("serialisation is not stable: " + text.replace("\r", "\\r").replace("\n", "\\n"));
        }
        for (MediaDescription m : sdp.media()) {
            try {
                m.codecs().forEach(Codec::associatedPayloadType);
                m.sctpPort();
                m.maxMessageSize();
                m.rids().forEach(Rid::payloadTypes);
                m.fingerprint().ifPresent(Fingerprint::digest);
            } catch (SdpParseException expected) {
                // typed getters may reject values the verbatim model kept
            }
        }
    }
}
