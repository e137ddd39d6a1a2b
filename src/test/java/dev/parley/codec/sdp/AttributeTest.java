package dev.parley.codec.sdp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributeTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "group:BUNDLE 0 1 2", "group:BUNDLE", "group:LS a b",
            "rtpmap:111 opus/48000/2", "rtpmap:0 PCMU/8000", "rtpmap:0 PCMU/8000/1",
            "fmtp:111 minptime=10;useinbandfec=1", "fmtp:101 0-15", "fmtp:webrtc-datachannel max-message-size=1",
            "rtcp-fb:96 nack", "rtcp-fb:96 nack pli", "rtcp-fb:* ccm fir", "rtcp-fb:96 ccm tmmbr smaxpr=120",
            "extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "extmap:4/recvonly urn:ietf:params:rtp-hdrext:sdes:mid", "extmap:200/sendonly urn:x:y attr1 attr2",
            "ssrc:2754712089 cname:Yq1bWz3rT6uV9xA2", "ssrc:1 msid:stream track", "ssrc:4294967295 label",
            "ssrc-group:FID 1111 2222", "ssrc-group:SIM 1 2 3",
            "msid:- 9a7c3e21", "msid:stream",
            "rid:q send", "rid:f recv pt=96,97;max-width=1280;max-height=720",
            "simulcast:send q;h;f", "simulcast:recv f;~h,h2;q", "simulcast:recv 1 send 2;3", "simulcast:send a recv b",
            "candidate:1 1 UDP 2130706431 10.0.0.1 8998 typ host",
            "candidate:842163049 1 udp 1677729535 198.51.100.1 39017 typ srflx raddr 0.0.0.0 rport 0 generation 0",
            "candidate:2 1 tcp 1518280447 2a1b3c4d-aaaa-bbbb-cccc-0123456789ab.local 9 typ host tcptype active",
            "candidate:3 2 udp 41885439 203.0.113.9 3478 typ relay raddr 198.51.100.1 rport 5000",
            "fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "candidate:candidate:1 1 udp 1 1.2.3.4 5 typ host", "sendrecv", "sendonly", "recvonly", "inactive", "rtcp-mux", "ice-lite", "end-of-candidates",
            "mid:0", "ice-ufrag:abcd", "ice-options:trickle renomination", "setup:passive", "sctp-port:5000",
            "max-message-size:262144", "msid-semantic: WMS *", "x-google-flag:conference", "rtcp:9 IN IP4 0.0.0.0",
            "unknown-thing:with:colons and  double  spaces"})
    void formatsBackToTheSameText(String line) {
        assertEquals(line, Attribute.parse(line).format());
    }

    @Test
    void parsesTypedFields() {
        Extmap e = (Extmap) Attribute.parse("extmap:4/recvonly urn:ietf:params:rtp-hdrext:sdes:mid");
        assertEquals(4, e.id());
        assertEquals(Direction.RECVONLY, e.direction());
        SsrcGroup fid = (SsrcGroup) Attribute.parse("ssrc-group:FID 1111 2222");
        assertEquals(List.of(1111L, 2222L), fid.ssrcs());
        Simulcast sim = (Simulcast) Attribute.parse("simulcast:recv f;~h,h2;q");
        assertTrue(sim.send().isEmpty());
        assertTrue(sim.receive().get(1).get(0).paused());
        assertEquals("h2", sim.receive().get(1).get(1).rid());
        Rid rid = (Rid) Attribute.parse("rid:f recv pt=96,97;max-width=1280");
        assertEquals(List.of(96, 97), rid.payloadTypes());
        assertEquals(Direction.RECVONLY, Attribute.parse("recvonly"));
        assertEquals(Direction.SENDONLY, Direction.RECVONLY.reverse());
    }

    @Test
    void trickledCandidateAcceptsThePrefix() {
        Candidate c = Candidate.parse("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host generation 0");
        assertEquals("127.0.0.1", c.address());
        assertEquals("0", c.extension("generation"));
        assertEquals("1 1 udp 2122260223 127.0.0.1 5000 typ host generation 0", c.attributeValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "rtpmap:128 foo/90000", "rtpmap:96 VP8", "rtpmap:96 VP8/abc", "rtpmap:96", "rtpmap:96 VP8/90000/0",
            "fmtp:96", "rtcp-fb:96", "rtcp-fb:x nack", "extmap:0 urn:x", "extmap:16/sideways urn:x", "extmap:1",
            "ssrc:4294967296 cname:x", "ssrc:12", "ssrc:-1 cname:x", "ssrc-group:FID a", "msid:a b c",
            "rid:q sideways", "rid:q", "simulcast:send", "simulcast:sideways q", "simulcast:send q;;h",
            "simulcast:send q recv", "simulcast:send ~", "simulcast:send a send b",
            "candidate:1 1 udp 1 1.2.3.4 5 host", "candidate:1 0 udp 1 1.2.3.4 5 typ host",
            "candidate:1 1 udp 1 1.2.3.4 70000 typ host", "candidate:1 1 udp 1 1.2.3.4 5 typ host generation",
            "candidate:1 1 udp 99999999999 1.2.3.4 5 typ host",
            "candidate:123456789012345678901234567890123 1 udp 1 1.2.3.4 5 typ host",
            "rtpmap:096 VP8/90000", "extmap:03 urn:x", "candidate:1 1 udp 01 1.2.3.4 5 typ host", "fingerprint:sha-256", "fingerprint:sha-256 ZZ:00", "fingerprint:sha-256 0:00", "group: 0 1"})
    void rejectsMalformedValues(String line) {
        assertThrows(SdpParseException.class, () -> Attribute.parse(line));
    }
}
