package dev.parley.codec.sdp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Firefox writes SDP differently (session-level fingerprint, SSRC groups with simulcast, extmap directions). */
class FirefoxOfferTest {
    static String offerText() {
        try (InputStream in = FirefoxOfferTest.class.getResourceAsStream("/sdp/firefox-offer-simulcast.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void serialisesBackByteForByte() {
        String text = offerText();
        assertEquals(text, SessionDescription.parse(text).toString());
    }

    @Test
    void readsSessionLevelFingerprintAndFidGroups() {
        SessionDescription sdp = SessionDescription.parse(offerText());
        assertEquals("mozilla...THIS_IS_SDPARTA-99.0", sdp.origin().username());
        MediaDescription video = sdp.mediaByMid("1").orElseThrow();
        assertTrue(video.fingerprint().isEmpty());
        assertEquals("sha-256", sdp.fingerprint(video).orElseThrow().hashFunction());
        assertEquals(List.of("a", "b", "c"), video.simulcast().orElseThrow().rids(true));
        List<SsrcGroup> groups = video.ssrcGroups();
        assertEquals(3, groups.size());
        assertEquals(SsrcGroup.FID, groups.get(0).semantics());
        assertEquals(List.of(1447297329L, 1091635209L), groups.get(0).ssrcs());
        Extmap playout = video.extmaps().stream().filter(e -> e.id() == 6).findFirst().orElseThrow();
        assertEquals(Direction.RECVONLY, playout.direction());
        assertEquals(120, video.codecs().get(1).associatedPayloadType());
        assertEquals(1073741823L, sdp.mediaByMid("2").orElseThrow().maxMessageSize());
        assertEquals(1, sdp.mediaByMid("0").orElseThrow().codecs().get(1).rtpmap().channels()); // G722/8000/1
    }
}
