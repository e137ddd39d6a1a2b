package dev.parley.codec.sdp;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {
    static final String MINIMAL = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

    @Test
    void minimalDescriptionRoundTrips() {
        SessionDescription sdp = SessionDescription.parse(MINIMAL);
        assertEquals(MINIMAL, sdp.toString());
        assertTrue(sdp.media().isEmpty());
    }

    @Test
    void mediaLineWithPortCountAndRejectedSection() {
        String text = MINIMAL + "m=video 0/2 RTP/AVP 31\r\nb=AS:512\r\na=inactive\r\n";
        SessionDescription sdp = SessionDescription.parse(text);
        MediaDescription m = sdp.media().get(0);
        assertTrue(m.rejected());
        assertEquals(2, m.portCount());
        assertEquals(Direction.INACTIVE, m.direction());
        assertEquals('b', m.lines().get(0).type());
        assertEquals(text, sdp.toString());
    }

    @Test
    void directionDefaultsToSendrecv() {
        SessionDescription sdp = SessionDescription.parse(MINIMAL + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
        assertEquals(Direction.SENDRECV, sdp.media().get(0).direction());
        assertNull(sdp.media().get(0).mid());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "v=1\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n",
            "o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n",
            "v=0\r\ns=-\r\n",
            "v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nbogus\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nX=1\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n\r\nt=0 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nv=0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio 99999 RTP/AVP 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=has space:1\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0\r0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=ice-lite\r\nt=0 0\r\n",
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\nc=IN IP4 0.0.0.0\r\n"})
    void rejectsMalformedDescriptions(String text) {
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(text));
    }

    @Test
    void errorNamesTheLine() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> SessionDescription.parse(MINIMAL + "a=rtpmap:999 x/1\r\n"));
        assertTrue(e.getMessage().startsWith("line 5:"), e.getMessage());
    }
}
