package dev.parley.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which transport-wide-cc extension ids the SFU takes from browsers' publish offers and subscribe answers. */
class SfuSdpCongestionControlTest {
    private static String resource(String name) {
        try (InputStream in = SfuSdpCongestionControlTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Integer> transportCcIds(String offer) {
        return SfuSdp.readPublishOffer(offer).lines().stream().filter(l -> l instanceof SfuSdp.PublishedTrack)
                .map(l -> ((SfuSdp.PublishedTrack) l).transportCcExtensionId()).toList();
    }

    @Test
    void chromiumOffersTransportCcOnAudioAndVideoAndTheSfuTakesItsId() {
        assertEquals(List.of(3, 3), transportCcIds(resource("chromium-offer-simulcast.sdp")));
    }

    @Test
    void firefoxOffersItOnVideoOnly() {
        assertEquals(List.of(0, 7), transportCcIds(resource("firefox-offer-simulcast.sdp")));
    }

    @Test
    void anOfferWithoutTheFeedbackLineGetsNoTransportCc() {
        String offer = resource("chromium-offer-simulcast.sdp").replace(" transport-cc\r\n", " x-none\r\n").replace(" transport-cc\n", " x-none\n");
        assertEquals(List.of(0, 0), transportCcIds(offer));
    }

    @Test
    void theSubscriberAnswerSaysWhetherItKeptTheExtension() {
        String answer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=fingerprint:sha-256 4E:1F:94:0C:A8:3B:52:6D:9F:7A:10:E2:33:C1:5B:88:07:4D:AF:19:62:E0:3C:91:B7:45:28:6A:FD:0E:83:D2\r\n"
                + "a=setup:active\r\na=mid:0\r\n%sa=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 transport-cc\r\n";
        String kept = String.format(answer, "a=extmap:3 " + SfuSdp.EXT_TRANSPORT_CC + "\r\n");
        assertEquals(3, SfuSdp.readAnswer(kept).transportCcExtensionId());
        assertEquals(0, SfuSdp.readAnswer(String.format(answer, "")).transportCcExtensionId());
    }
}
