package dev.parley.codec.sdp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChromiumOfferTest {
    static String offerText() {
        try (InputStream in = ChromiumOfferTest.class.getResourceAsStream("/sdp/chromium-offer-simulcast.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void serialisesBackByteForByte() {
        String text = offerText();
        assertTrue(text.contains("\r\n"));
        assertEquals(text, SessionDescription.parse(text).toString());
    }

    @Test
    void lfOnlyInputIsWrittenWithCrlf() {
        String text = offerText();
        assertEquals(text, SessionDescription.parse(text.replace("\r\n", "\n")).toString());
    }

    @Test
    void readsSessionLevelBundleAndMsidSemantic() {
        SessionDescription sdp = SessionDescription.parse(offerText());
        assertEquals("4611731400430051336", sdp.origin().sessionId());
        assertEquals(List.of("0", "1", "2"), sdp.bundleGroup().orElseThrow().mids());
        assertEquals(" WMS 6e1c0c7a-3b4d-4c55-9a9e-2f0f5d0b8a11", sdp.attribute("msid-semantic"));
        assertFalse(sdp.iceLite());
        assertEquals(3, sdp.media().size());
    }

    @Test
    void readsAudioSection() {
        MediaDescription audio = SessionDescription.parse(offerText()).mediaByMid("0").orElseThrow();
        assertEquals("audio", audio.media());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertTrue(audio.rtcpMux());
        assertTrue(audio.endOfCandidates());
        assertEquals("Xh4e", audio.iceUfrag());
        assertEquals("actpass", audio.setup());
        assertEquals(32, audio.fingerprint().orElseThrow().digest().length);
        assertEquals(1, audio.extmapId(Extmap.AUDIO_LEVEL));
        assertEquals(3, audio.extmapId(Extmap.TRANSPORT_CC));
        Codec opus = audio.codecs().get(0);
        assertEquals("opus", opus.name());
        assertEquals(2, opus.rtpmap().channels());
        assertEquals("1", opus.parameters().get("useinbandfec"));
        assertTrue(opus.hasFeedback("transport-cc", null));
        assertEquals(-1, audio.codecs().get(3).rtpmap().channels()); // PCMU/8000
        assertEquals(2754712089L, audio.ssrcs().get(0).ssrc());
        assertEquals("cname", audio.ssrcs().get(0).name());

        List<Candidate> candidates = audio.candidates();
        assertEquals(3, candidates.size());
        assertEquals("192.168.1.10", candidates.get(1).relatedAddress());
        assertEquals(54321, candidates.get(1).relatedPort());
        assertEquals("active", candidates.get(2).extension("tcptype"));
        assertEquals(2122260223L, candidates.get(0).priority());
    }

    @Test
    void readsSimulcastVideoSection() {
        MediaDescription video = SessionDescription.parse(offerText()).mediaByMid("1").orElseThrow();
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(List.of("q", "h", "f"), video.simulcast().orElseThrow().rids(true));
        assertEquals(List.of("q", "h", "f"), video.rids().stream().map(Rid::id).toList());
        assertEquals(10, video.extmapId(Extmap.RID));
        assertEquals(11, video.extmapId(Extmap.REPAIRED_RID));
        List<Codec> codecs = video.codecs();
        assertEquals(25, codecs.size());
        assertEquals("VP8", codecs.get(0).name());
        assertTrue(codecs.get(0).hasFeedback("nack", "pli"));
        assertTrue(codecs.get(0).hasFeedback("ccm", "fir"));
        assertEquals(96, codecs.get(1).associatedPayloadType());
        assertEquals("9a7c3e21-5f4b-4d8e-8c1a-3b2e1f0d9c87", video.msid().orElseThrow().trackId());
    }

    @Test
    void readsDataChannelSection() {
        MediaDescription data = SessionDescription.parse(offerText()).mediaByMid("2").orElseThrow();
        assertEquals(MediaDescription.PROTOCOL_SCTP, data.protocol());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertEquals(5000, data.sctpPort());
        assertEquals(262144, data.maxMessageSize());
        assertTrue(data.codecs().isEmpty());
    }

    /** What the SFU's publish answer looks like: ice-lite, passive, VP8 + RTX only, recvonly. */
    @Test
    void buildsAnAnswerThatParsesBack() {
        SessionDescription offer = SessionDescription.parse(offerText());
        Fingerprint fp = Fingerprint.of("sha-256", new byte[32]);
        List<MediaDescription> answered = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            List<Attribute> a = new ArrayList<>(List.of(
                    new ValueAttribute("ice-ufrag", "sfu1"), new ValueAttribute("ice-pwd", "0123456789abcdef012345"),
                    fp, new ValueAttribute("setup", "passive"), new ValueAttribute("mid", m.mid())));
            List<String> formats = m.formats();
            if (m.media().equals("video")) {
                formats = List.of("96", "97");
                a.add(m.direction().reverse());
                a.add(FlagAttribute.RTCP_MUX);
                a.add(new Extmap(10, Extmap.RID));
                a.add(new Rtpmap(96, "VP8", 90000, -1));
                a.add(new RtcpFb("96", "nack", "pli"));
                a.add(new Rtpmap(97, "rtx", 90000, -1));
                a.add(Fmtp.parse("97 apt=96"));
                for (Rid rid : m.rids()) {
                    a.add(new Rid(rid.id(), "recv"));
                }
                a.add(new Simulcast(List.of(), m.simulcast().orElseThrow().receive().isEmpty()
                        ? m.simulcast().orElseThrow().send() : List.of(), false));
            }
            a.add(Candidate.host("1", 1, "udp", 2130706431L, "127.0.0.1", 7882));
            a.add(FlagAttribute.END_OF_CANDIDATES);
            answered.add(MediaDescription.of(m.media(), 7882, m.protocol(), formats, a)
                    .withLines(List.of(new SdpLine('c', "IN IP4 127.0.0.1"))));
        }
        SessionDescription answer = new SessionDescription(new Origin("-", "1", "1", "IN", "IP4", "127.0.0.1"), "-",
                List.of(new SdpLine('t', "0 0")),
                List.of(FlagAttribute.ICE_LITE, offer.bundleGroup().orElseThrow()), answered);
        String text = answer.toString();
        assertTrue(text.contains("a=simulcast:recv q;h;f\r\n"));
        assertTrue(text.contains("a=rid:q recv\r\n"));
        assertTrue(text.contains("a=recvonly\r\n"));
        SessionDescription back = SessionDescription.parse(text);
        assertEquals(answer, back);
        assertTrue(back.iceLite());
        assertEquals("2", answer.withOrigin(answer.origin().nextVersion()).origin().sessionVersion());
    }
}
