package dev.parley.testing;

import dev.parley.codec.sdp.Candidate;
import dev.parley.codec.sdp.Codec;
import dev.parley.codec.sdp.Fingerprint;
import dev.parley.codec.sdp.MediaDescription;
import dev.parley.codec.sdp.SessionDescription;
import dev.parley.codec.sdp.SsrcGroup;
import dev.parley.rtc.dtls.DtlsFingerprint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDP a synthetic peer writes and reads (RFC 8829 JSEP shapes, as Chromium writes them):
 * a publish offer (BUNDLE, rtcp-mux, a=setup:actpass, sendonly Opus/VP8 m-lines with a=ssrc and
 * an RTX FID group), answers to the SFU's subscribe offers (a=setup:active, recvonly), and the
 * SFU's ICE/DTLS parameters and tracks from its descriptions.
 */
public final class SyntheticSdp {
    private static final String CRLF = "\r\n";
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int VP8_RTX_PT = 97;
    /** Extension id of the RFC 6464 audio level in publish offers. */
    public static final int AUDIO_LEVEL_EXT_ID = 1;

    private SyntheticSdp() {}

    /** The SFU's side of a connection: ICE-lite credentials, its one host candidate, its certificate. */
    public record Remote(String iceUfrag, String icePassword, InetSocketAddress candidate, DtlsFingerprint fingerprint) {}

    /** One live m-line of a subscribe offer: the track the SFU will forward and the SSRC it uses. */
    public record Track(String mid, String kind, int payloadType, long ssrc, String streamId) {}

    /** A parsed subscribe offer: transport parameters, live tracks, and what to write in the answer. */
    public record SubscribeOffer(Remote remote, List<Track> tracks, SessionDescription sdp) {}

    /** SSRCs a publisher announces: audio, video and video RTX (0 = no such track). */
    public record PublisherSsrcs(long audio, long video, long videoRtx) {}

    /** Extension ids of the MID and rtp-stream-id header extensions in simulcast publish offers. */
    public static final int MID_EXT_ID = 4;
    public static final int RID_EXT_ID = 10;
    public static final int REPAIRED_RID_EXT_ID = 11;
    /** The rids of a three-layer simulcast publisher, lowest resolution first (as the SDK's SIMULCAST_ENCODINGS). */
    public static final List<String> SIMULCAST_RIDS = List.of("q", "h", "f");

    static String publishOffer(SyntheticConnection connection, String streamId, PublisherSsrcs ssrcs, long sessionId) {
        return publishOffer(connection, streamId, ssrcs, List.of(), sessionId, "actpass");
    }

    /**
     * With {@code rids}, the video m-line sends that many simulcast layers as Chromium writes it
     * (RFC 8853 §5.1 a=simulcast:send, RFC 8851 a=rid, the MID and rtp-stream-id header extensions
     * of RFC 8843 §9.2 / RFC 8852 §3) and lists no a=ssrc: the SFU learns the layers' SSRCs from
     * the rid extension.
     */
    static String publishOffer(SyntheticConnection connection, String streamId, PublisherSsrcs ssrcs, List<String> rids,
            long sessionId, String setup) {
        StringBuilder sdp = header(sessionId, 2);
        List<String> mids = new ArrayList<>();
        if (ssrcs.audio() != 0) mids.add("0");
        if (ssrcs.video() != 0) mids.add(String.valueOf(mids.size()));
        sdp.append("a=group:BUNDLE ").append(String.join(" ", mids)).append(CRLF);
        sdp.append("a=msid-semantic: WMS ").append(streamId).append(CRLF);
        int mid = 0;
        if (ssrcs.audio() != 0) {
            sdp.append("m=audio 9 UDP/TLS/RTP/SAVPF ").append(OPUS_PT).append(CRLF);
            transport(sdp, connection, setup, String.valueOf(mid++));
            sdp.append("a=extmap:").append(AUDIO_LEVEL_EXT_ID).append(" urn:ietf:params:rtp-hdrext:ssrc-audio-level").append(CRLF);
            sdp.append("a=sendonly").append(CRLF)
                    .append("a=msid:").append(streamId).append(" audio-").append(streamId).append(CRLF)
                    .append("a=rtpmap:").append(OPUS_PT).append(" opus/48000/2").append(CRLF)
                    .append("a=fmtp:").append(OPUS_PT).append(" minptime=10;useinbandfec=1").append(CRLF);
            ssrc(sdp, ssrcs.audio(), streamId, "audio-" + streamId);
        }
        if (ssrcs.video() != 0) {
            sdp.append("m=video 9 UDP/TLS/RTP/SAVPF ").append(VP8_PT).append(' ').append(VP8_RTX_PT).append(CRLF);
            transport(sdp, connection, setup, String.valueOf(mid));
            if (!rids.isEmpty()) {
                sdp.append("a=extmap:").append(MID_EXT_ID).append(" urn:ietf:params:rtp-hdrext:sdes:mid").append(CRLF)
                        .append("a=extmap:").append(RID_EXT_ID).append(" urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id").append(CRLF)
                        .append("a=extmap:").append(REPAIRED_RID_EXT_ID)
                        .append(" urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id").append(CRLF);
            }
            sdp.append("a=sendonly").append(CRLF)
                    .append("a=msid:").append(streamId).append(" video-").append(streamId).append(CRLF)
                    .append("a=rtpmap:").append(VP8_PT).append(" VP8/90000").append(CRLF)
                    .append("a=rtcp-fb:").append(VP8_PT).append(" nack").append(CRLF)
                    .append("a=rtcp-fb:").append(VP8_PT).append(" nack pli").append(CRLF)
                    .append("a=rtpmap:").append(VP8_RTX_PT).append(" rtx/90000").append(CRLF)
                    .append("a=fmtp:").append(VP8_RTX_PT).append(" apt=").append(VP8_PT).append(CRLF);
            if (rids.isEmpty()) {
                sdp.append("a=ssrc-group:FID ").append(ssrcs.video()).append(' ').append(ssrcs.videoRtx()).append(CRLF);
                ssrc(sdp, ssrcs.video(), streamId, "video-" + streamId);
                ssrc(sdp, ssrcs.videoRtx(), streamId, "video-" + streamId);
            } else {
                for (String rid : rids) sdp.append("a=rid:").append(rid).append(" send").append(CRLF);
                sdp.append("a=simulcast:send ").append(String.join(";", rids)).append(CRLF);
            }
        }
        return sdp.toString();
    }

    /** Our answer to a subscribe offer: every live m-line recvonly with the offered codecs, the rest refused. */
    static String subscribeAnswer(SyntheticConnection connection, SubscribeOffer offer, long sessionId, long version) {
        return subscribeAnswer(connection, offer, sessionId, version, false);
    }

    /**
     * With {@code transportOnce}, only the first live m-line (the answerer BUNDLE-tag) carries the
     * ICE, DTLS and rtcp-mux attributes, as RFC 8843 §7.3.1 asks; the others only name their
     * mid. Keeps an answer to a 100-person room under the signaling's 60,000-character sdp field.
     */
    static String subscribeAnswer(SyntheticConnection connection, SubscribeOffer offer, long sessionId, long version,
            boolean transportOnce) {
        StringBuilder sdp = header(sessionId, version);
        boolean tagged = false;
        List<String> live = offer.sdp().media().stream().filter(m -> !m.rejected()).map(MediaDescription::mid).toList();
        if (!live.isEmpty()) sdp.append("a=group:BUNDLE ").append(String.join(" ", live)).append(CRLF);
        for (MediaDescription m : offer.sdp().media()) {
            if (m.rejected()) {
                sdp.append("m=").append(m.media()).append(" 0 ").append(m.protocol()).append(' ')
                        .append(m.formats().isEmpty() ? "0" : m.formats().get(0)).append(CRLF)
                        .append("c=IN IP4 0.0.0.0").append(CRLF);
                if (m.mid() != null) sdp.append("a=mid:").append(m.mid()).append(CRLF);
                sdp.append("a=inactive").append(CRLF);
                continue;
            }
            sdp.append("m=").append(m.media()).append(" 9 ").append(m.protocol()).append(' ')
                    .append(String.join(" ", m.formats())).append(CRLF);
            if (transportOnce && tagged) {
                sdp.append("c=IN IP4 0.0.0.0").append(CRLF).append("a=mid:").append(m.mid()).append(CRLF);
            } else {
                transport(sdp, connection, "active", m.mid());
                tagged = true;
            }
            sdp.append("a=recvonly").append(CRLF);
            for (Codec codec : m.codecs()) {
                sdp.append("a=rtpmap:").append(codec.rtpmap().attributeValue()).append(CRLF);
                if (codec.fmtp() != null) sdp.append("a=fmtp:").append(codec.payloadType()).append(' ')
                        .append(codec.fmtp().parameterText()).append(CRLF);
            }
        }
        return sdp.toString();
    }

    /** The SFU's transport parameters from an answer or offer: first live m-line, else session level. */
    static Remote readRemote(SessionDescription sdp) {
        for (MediaDescription m : sdp.media()) {
            if (m.rejected()) continue;
            String ufrag = m.iceUfrag() != null ? m.iceUfrag() : sdp.attribute("ice-ufrag");
            String pwd = m.icePwd() != null ? m.icePwd() : sdp.attribute("ice-pwd");
            Fingerprint fp = sdp.fingerprint(m).orElseThrow(() -> new IllegalArgumentException("no a=fingerprint"));
            Candidate candidate = m.candidates().stream().filter(c -> c.transport().equalsIgnoreCase("udp")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no UDP candidate in the SFU's SDP"));
            return new Remote(ufrag, pwd, new InetSocketAddress(candidate.address(), candidate.port()),
                    DtlsFingerprint.parse(fp.hashFunction() + " " + fp.value()));
        }
        return null;
    }

    static SubscribeOffer readSubscribeOffer(String text) {
        SessionDescription sdp = SessionDescription.parse(text);
        List<Track> tracks = new ArrayList<>();
        for (MediaDescription m : sdp.media()) {
            if (m.rejected()) continue;
            long ssrc = 0;
            for (SsrcGroup group : m.ssrcGroups()) {
                if (group.semantics().equals("FID")) ssrc = group.ssrcs().get(0);
            }
            if (ssrc == 0 && !m.ssrcs().isEmpty()) ssrc = m.ssrcs().get(0).ssrc();
            String stream = m.msid().map(msid -> msid.streamId()).orElse(null);
            tracks.add(new Track(m.mid(), m.media(), m.codecs().isEmpty() ? -1 : m.codecs().get(0).payloadType(), ssrc, stream));
        }
        return new SubscribeOffer(readRemote(sdp), tracks, sdp);
    }

    private static StringBuilder header(long sessionId, long version) {
        return new StringBuilder(2048).append("v=0").append(CRLF)
                .append("o=- ").append(sessionId).append(' ').append(version).append(" IN IP4 127.0.0.1").append(CRLF)
                .append("s=-").append(CRLF)
                .append("t=0 0").append(CRLF);
    }

    private static void transport(StringBuilder sdp, SyntheticConnection connection, String setup, String mid) {
        sdp.append("c=IN IP4 0.0.0.0").append(CRLF)
                .append("a=rtcp:9 IN IP4 0.0.0.0").append(CRLF)
                .append("a=ice-ufrag:").append(connection.iceCredentials().ufrag()).append(CRLF)
                .append("a=ice-pwd:").append(connection.iceCredentials().password()).append(CRLF)
                .append("a=fingerprint:").append(connection.localFingerprint().toSdpValue()).append(CRLF)
                .append("a=setup:").append(setup).append(CRLF)
                .append("a=mid:").append(mid).append(CRLF)
                .append("a=rtcp-mux").append(CRLF);
    }

    private static void ssrc(StringBuilder sdp, long ssrc, String streamId, String trackId) {
        sdp.append("a=ssrc:").append(ssrc).append(" cname:").append(streamId).append(CRLF)
                .append("a=ssrc:").append(ssrc).append(" msid:").append(streamId).append(' ').append(trackId).append(CRLF);
    }
}
