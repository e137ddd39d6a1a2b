package dev.parley.sfu;

import dev.parley.codec.sdp.Codec;
import dev.parley.codec.sdp.Direction;
import dev.parley.codec.sdp.Fingerprint;
import dev.parley.codec.sdp.MediaDescription;
import dev.parley.codec.sdp.SessionDescription;
import dev.parley.rtc.RtcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SFU's side of SDP (RFC 8829 JSEP, RFC 8843 BUNDLE): answers to publishers' offers and
 * offers to subscribers. Always ICE-lite (RFC 8445 §2.5), one host candidate, rtcp-mux, and the
 * SFU is always the DTLS server (a=setup:passive in answers, actpass in offers, RFC 8842 §5).
 */
final class SfuSdp {
    static final String EXT_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    static final String EXT_RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    static final String EXT_REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /**
     * Start bitrate (kbit/s) suggested to video publishers (libwebrtc's x-google-start-bitrate
     * format parameter): high enough that all three simulcast layers start at once instead of
     * ramping up layer by layer for tens of seconds; the publisher's congestion control still
     * lowers it when the path cannot carry it.
     */
    static final int VIDEO_START_KBPS = 1500;
    private static final String CRLF = "\r\n";

    private SfuSdp() {}

    /** One accepted publisher m-line. */
    record PublishedTrack(String mid, MediaKind kind, CodecChoice codec, long ssrc, long rtxSsrc, int midExtensionId,
            int audioLevelExtensionId, List<String> rids, int ridExtensionId, int repairedRidExtensionId) {}

    /** An offer m-line the SFU cannot take (wrong direction, no supported codec, data channel). */
    record Refused(String mid, String media, String protocol, String format) {}

    /** The publisher offer, split into tracks to produce and m-lines to refuse, in offer order. */
    record PublishOffer(SessionDescription sdp, List<Object> lines, String iceUfrag, String fingerprint) {}

    static PublishOffer readPublishOffer(String text) {
        SessionDescription sdp = SessionDescription.parse(text);
        List<Object> lines = new ArrayList<>();
        String ufrag = null;
        String fingerprint = null;
        for (MediaDescription m : sdp.media()) {
            String mid = m.mid();
            if (ufrag == null && m.iceUfrag() != null) ufrag = m.iceUfrag();
            if (fingerprint == null) fingerprint = sdp.fingerprint(m).map(f -> f.hashFunction() + " " + f.value()).orElse(null);
            MediaKind kind = MediaKind.of(m.media());
            Direction direction = m.direction();
            boolean sends = direction == Direction.SENDONLY || direction == Direction.SENDRECV;
            CodecChoice codec = kind == null || m.rejected() || !sends ? null : chooseCodec(kind, m.codecs());
            if (codec == null || mid == null) {
                lines.add(new Refused(mid, m.media(), m.protocol(), m.formats().isEmpty() ? "0" : m.formats().get(0)));
                continue;
            }
            long ssrc = 0;
            long rtx = 0;
            for (var group : m.ssrcGroups()) {
                if (group.semantics().equals("FID") && group.ssrcs().size() == 2) {
                    ssrc = group.ssrcs().get(0);
                    rtx = group.ssrcs().get(1);
                }
            }
            if (ssrc == 0 && !m.ssrcs().isEmpty()) ssrc = m.ssrcs().get(0).ssrc();
            // RFC 8853 §5.1: a=simulcast:send lists the rids (RFC 8851) of the layers, in order.
            List<String> rids = kind == MediaKind.VIDEO && m.extmapId(EXT_RID) > 0
                    ? m.simulcast().map(sc -> sc.rids(true)).orElse(List.of()) : List.of();
            if (!rids.isEmpty()) {
                ssrc = 0; // SSRCs of simulcast layers are learnt from the rid extension
                rtx = 0;
            }
            lines.add(new PublishedTrack(mid, kind, codec, ssrc, rtx, m.extmapId(EXT_MID), m.extmapId(EXT_AUDIO_LEVEL),
                    rids, m.extmapId(EXT_RID), m.extmapId(EXT_REPAIRED_RID)));
        }
        if (ufrag == null) ufrag = sdp.attribute("ice-ufrag");
        if (fingerprint == null) fingerprint = sessionFingerprint(sdp);
        return new PublishOffer(sdp, lines, ufrag, fingerprint);
    }

    /** Opus for audio; VP8, else H.264 (packetization-mode 1) for video; with RTX when offered. */
    static CodecChoice chooseCodec(MediaKind kind, List<Codec> codecs) {
        Codec chosen = null;
        if (kind == MediaKind.AUDIO) {
            chosen = codecs.stream().filter(c -> c.name().equalsIgnoreCase("opus")).findFirst().orElse(null);
        } else {
            chosen = codecs.stream().filter(c -> c.name().equalsIgnoreCase("VP8")).findFirst()
                    .orElseGet(() -> codecs.stream().filter(c -> c.name().equalsIgnoreCase("H264")
                            && "1".equals(c.parameters().get("packetization-mode"))).findFirst().orElse(null));
        }
        if (chosen == null) return null;
        int pt = chosen.payloadType();
        int rtx = codecs.stream().filter(c -> c.name().equalsIgnoreCase("rtx") && c.associatedPayloadType() == pt)
                .mapToInt(Codec::payloadType).findFirst().orElse(-1);
        String fmtp = chosen.fmtp() == null ? null : chosen.fmtp().parameterText();
        return new CodecChoice(chosen.name(), pt, rtx, fmtp);
    }

    /** The SFU's answer to a publisher: the same m-lines, each recvonly or refused. */
    static String publishAnswer(PublishOffer offer, RtcTransport transport, String announcedAddress, int port, long version) {
        StringBuilder sdp = sessionHeader(version);
        List<String> bundled = offer.lines().stream().filter(l -> l instanceof PublishedTrack)
                .map(l -> ((PublishedTrack) l).mid()).toList();
        if (!bundled.isEmpty()) sdp.append("a=group:BUNDLE ").append(String.join(" ", bundled)).append(CRLF);
        for (Object line : offer.lines()) {
            if (line instanceof Refused refused) {
                refusedLine(sdp, refused.media(), refused.protocol(), refused.format(), refused.mid());
                continue;
            }
            PublishedTrack track = (PublishedTrack) line;
            mediaLine(sdp, track.kind(), track.codec());
            transportAttributes(sdp, transport, "passive");
            sdp.append("a=mid:").append(track.mid()).append(CRLF);
            if (track.midExtensionId() > 0) sdp.append("a=extmap:").append(track.midExtensionId()).append(' ').append(EXT_MID).append(CRLF);
            if (track.audioLevelExtensionId() > 0) {
                sdp.append("a=extmap:").append(track.audioLevelExtensionId()).append(' ').append(EXT_AUDIO_LEVEL).append(CRLF);
            }
            if (!track.rids().isEmpty()) {
                extmap(sdp, track.ridExtensionId(), EXT_RID);
                extmap(sdp, track.repairedRidExtensionId(), EXT_REPAIRED_RID);
            }
            sdp.append("a=recvonly").append(CRLF);
            codecAttributes(sdp, track.kind(), withStartBitrate(track.kind(), track.codec()));
            if (!track.rids().isEmpty()) {
                // RFC 8853 §5.3: the answerer receives the offered layers.
                for (String rid : track.rids()) sdp.append("a=rid:").append(rid).append(" recv").append(CRLF);
                sdp.append("a=simulcast:recv ").append(String.join(";", track.rids())).append(CRLF);
            }
            candidate(sdp, transport, announcedAddress, port);
        }
        return sdp.toString();
    }

    private static void extmap(StringBuilder sdp, int id, String uri) {
        if (id > 0) sdp.append("a=extmap:").append(id).append(' ').append(uri).append(CRLF);
    }

    private static CodecChoice withStartBitrate(MediaKind kind, CodecChoice codec) {
        if (kind != MediaKind.VIDEO) return codec;
        String start = "x-google-start-bitrate=" + VIDEO_START_KBPS;
        String fmtp = codec.fmtp() == null || codec.fmtp().isBlank() ? start : codec.fmtp() + ";" + start;
        return new CodecChoice(codec.name(), codec.pt(), codec.rtxPt(), fmtp);
    }

    /** One m-line of a subscriber offer: a live consumer, or a retired slot (port 0). */
    record SubscriberSlot(String mid, MediaKind kind, Consumer consumer) {}

    /**
     * The SFU's offer to a subscriber: one sendonly m-line per consumer, in slot order. A retired
     * slot stays in the BUNDLE group as {@code a=inactive} rather than being rejected with port 0:
     * rejecting the m-line that tags the BUNDLE group would make the browser move (and re-handshake)
     * the whole transport (RFC 8843 §7.3.3).
     */
    static String subscriberOffer(List<SubscriberSlot> slots, RtcTransport transport, String announcedAddress, int port,
            long version) {
        StringBuilder sdp = sessionHeader(version);
        List<String> bundled = slots.stream().map(SubscriberSlot::mid).toList();
        if (!bundled.isEmpty()) sdp.append("a=group:BUNDLE ").append(String.join(" ", bundled)).append(CRLF);
        for (SubscriberSlot slot : slots) {
            Consumer consumer = slot.consumer();
            if (consumer == null) {
                CodecChoice placeholder = CodecChoice.subscriberSide(slot.kind(), slot.kind() == MediaKind.AUDIO ? "opus" : "VP8", null);
                mediaLine(sdp, slot.kind(), placeholder);
                transportAttributes(sdp, transport, "actpass");
                sdp.append("a=mid:").append(slot.mid()).append(CRLF);
                sdp.append("a=inactive").append(CRLF);
                codecAttributes(sdp, slot.kind(), placeholder);
                candidate(sdp, transport, announcedAddress, port);
                continue;
            }
            Producer producer = consumer.producer;
            String stream = producer.owner.peerId;
            String track = producer.id;
            mediaLine(sdp, slot.kind(), consumer.codec);
            transportAttributes(sdp, transport, "actpass");
            sdp.append("a=mid:").append(slot.mid()).append(CRLF);
            sdp.append("a=sendonly").append(CRLF);
            sdp.append("a=msid:").append(stream).append(' ').append(track).append(CRLF);
            codecAttributes(sdp, slot.kind(), consumer.codec);
            if (consumer.codec.rtxPt() >= 0) {
                sdp.append("a=ssrc-group:FID ").append(consumer.ssrc).append(' ').append(consumer.rtxSsrc).append(CRLF);
            }
            ssrcLines(sdp, consumer.ssrc, stream, track);
            if (consumer.codec.rtxPt() >= 0) ssrcLines(sdp, consumer.rtxSsrc, stream, track);
            candidate(sdp, transport, announcedAddress, port);
        }
        return sdp.toString();
    }

    private static StringBuilder sessionHeader(long version) {
        StringBuilder sdp = new StringBuilder(2048);
        sdp.append("v=0").append(CRLF)
                .append("o=parley 1 ").append(version).append(" IN IP4 0.0.0.0").append(CRLF)
                .append("s=-").append(CRLF)
                .append("t=0 0").append(CRLF)
                .append("a=ice-lite").append(CRLF)
                .append("a=msid-semantic: WMS *").append(CRLF);
        return sdp;
    }

    private static void refusedLine(StringBuilder sdp, String media, String protocol, String format, String mid) {
        sdp.append("m=").append(media).append(" 0 ").append(protocol).append(' ').append(format).append(CRLF)
                .append("c=IN IP4 0.0.0.0").append(CRLF);
        if (mid != null) sdp.append("a=mid:").append(mid).append(CRLF);
        sdp.append("a=inactive").append(CRLF);
    }

    private static void mediaLine(StringBuilder sdp, MediaKind kind, CodecChoice codec) {
        sdp.append("m=").append(kind.sdpName).append(" 9 UDP/TLS/RTP/SAVPF ").append(codec.pt());
        if (codec.rtxPt() >= 0) sdp.append(' ').append(codec.rtxPt());
        sdp.append(CRLF).append("c=IN IP4 0.0.0.0").append(CRLF).append("a=rtcp:9 IN IP4 0.0.0.0").append(CRLF);
    }

    private static void transportAttributes(StringBuilder sdp, RtcTransport transport, String setup) {
        sdp.append("a=ice-ufrag:").append(transport.ice().local().ufrag()).append(CRLF)
                .append("a=ice-pwd:").append(transport.ice().local().password()).append(CRLF)
                .append("a=fingerprint:").append(transport.localFingerprint().toSdpValue()).append(CRLF)
                .append("a=setup:").append(setup).append(CRLF)
                .append("a=rtcp-mux").append(CRLF)
                .append("a=rtcp-rsize").append(CRLF);
    }

    private static void codecAttributes(StringBuilder sdp, MediaKind kind, CodecChoice codec) {
        String rtpmap = kind == MediaKind.AUDIO ? codec.name() + "/48000/2" : codec.name() + "/90000";
        sdp.append("a=rtpmap:").append(codec.pt()).append(' ').append(rtpmap).append(CRLF);
        if (codec.fmtp() != null && !codec.fmtp().isBlank()) {
            sdp.append("a=fmtp:").append(codec.pt()).append(' ').append(codec.fmtp()).append(CRLF);
        }
        if (kind == MediaKind.VIDEO) {
            sdp.append("a=rtcp-fb:").append(codec.pt()).append(" nack").append(CRLF)
                    .append("a=rtcp-fb:").append(codec.pt()).append(" nack pli").append(CRLF)
                    .append("a=rtcp-fb:").append(codec.pt()).append(" ccm fir").append(CRLF);
        }
        if (codec.rtxPt() >= 0) {
            sdp.append("a=rtpmap:").append(codec.rtxPt()).append(" rtx/").append(kind.clockRate).append(CRLF)
                    .append("a=fmtp:").append(codec.rtxPt()).append(" apt=").append(codec.pt()).append(CRLF);
        }
    }

    private static void ssrcLines(StringBuilder sdp, long ssrc, String stream, String track) {
        sdp.append("a=ssrc:").append(ssrc).append(" cname:").append(stream).append(CRLF)
                .append("a=ssrc:").append(ssrc).append(" msid:").append(stream).append(' ').append(track).append(CRLF);
    }

    /**
     * The SFU's host candidates: UDP, and a passive ICE-TCP one (RFC 6544 §4.5) when the transport
     * has it. TCP gets a lower type preference than UDP (RFC 6544 §4.2), so it is only the fallback.
     */
    private static void candidate(StringBuilder sdp, RtcTransport transport, String address, int port) {
        sdp.append(String.format(Locale.ROOT, "a=candidate:1 1 udp 2130706431 %s %d typ host generation 0", address, port))
                .append(CRLF);
        int tcpPort = transport.iceTcpPort();
        if (tcpPort > 0) {
            sdp.append(String.format(Locale.ROOT, "a=candidate:2 1 tcp 1518280447 %s %d typ host tcptype passive generation 0",
                    address, tcpPort)).append(CRLF);
        }
        sdp.append("a=end-of-candidates").append(CRLF);
    }

    private static String sessionFingerprint(SessionDescription sdp) {
        return sdp.attributes().stream().filter(Fingerprint.class::isInstance).map(Fingerprint.class::cast)
                .findFirst().map(f -> f.hashFunction() + " " + f.value()).orElse(null);
    }

    /** Remote ICE ufrag and DTLS fingerprint ("sha-256 AB:CD…") from an answer. */
    record RemoteTransport(String iceUfrag, String fingerprint, String setup) {}

    static RemoteTransport readAnswer(String text) {
        SessionDescription sdp = SessionDescription.parse(text);
        String ufrag = sdp.attribute("ice-ufrag");
        String fingerprint = sessionFingerprint(sdp);
        String setup = sdp.attribute("setup");
        for (MediaDescription m : sdp.media()) {
            if (m.rejected()) continue;
            if (m.iceUfrag() != null) ufrag = m.iceUfrag();
            if (m.setup() != null) setup = m.setup();
            var f = sdp.fingerprint(m);
            if (f.isPresent()) fingerprint = f.get().hashFunction() + " " + f.get().value();
            break;
        }
        return new RemoteTransport(ufrag, fingerprint, setup);
    }
}
