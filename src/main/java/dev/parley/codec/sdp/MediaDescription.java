package dev.parley.codec.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One media section (RFC 8866 §5.14): the {@code m=} line, its {@code i= c= b= k=} lines and its
 * attributes, in order. With Unified Plan (RFC 8829 §5.2) one section is one transceiver or the
 * data channel; the typed getters read the WebRTC attributes from the attribute list.
 *
 * @param portCount -1 when the m= line has no {@code /<number of ports>}
 * @param formats payload types for RTP, {@code webrtc-datachannel} for SCTP
 */
public record MediaDescription(String media, int port, int portCount, String protocol, List<String> formats,
                               List<SdpLine> lines, List<Attribute> attributes) {
    public static final String PROTOCOL_RTP = "UDP/TLS/RTP/SAVPF";
    public static final String PROTOCOL_SCTP = "UDP/DTLS/SCTP";

    public MediaDescription {
        SdpText.requireToken(media, "media type");
        SdpText.requireToken(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        formats = List.copyOf(formats);
        for (String f : formats) {
            SdpText.requireToken(f, "format");
        }
        lines = List.copyOf(lines);
        attributes = List.copyOf(attributes);
    }

    /** A section with no extra lines, e.g. for building an answer. */
    public static MediaDescription of(String media, int port, String protocol, List<String> formats,
                                      List<Attribute> attributes) {
        return new MediaDescription(media, port, -1, protocol, formats, List.of(), attributes);
    }

    public MediaDescription withAttributes(List<Attribute> newAttributes) {
        return new MediaDescription(media, port, portCount, protocol, formats, lines, newAttributes);
    }

    public MediaDescription withFormats(List<String> newFormats) {
        return new MediaDescription(media, port, portCount, protocol, newFormats, lines, attributes);
    }

    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, protocol, formats, lines, attributes);
    }

    public MediaDescription withLines(List<SdpLine> newLines) {
        return new MediaDescription(media, port, portCount, protocol, formats, newLines, attributes);
    }

    /** A section with port 0 is rejected or stopped (RFC 8829 §5.2.2). */
    public boolean rejected() {
        return port == 0;
    }

    /** Attributes of one record type, in order. */
    public <T extends Attribute> List<T> attributes(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (type.isInstance(a)) {
                out.add(type.cast(a));
            }
        }
        return out;
    }

    /** The value of the first attribute named {@code name}, or null (flags give ""). */
    public String attribute(String name) {
        return SessionDescription.firstValue(attributes, name);
    }

    public boolean hasAttribute(String name) {
        return SessionDescription.has(attributes, name);
    }

    public String mid() { return attribute("mid"); }
    public String iceUfrag() { return attribute("ice-ufrag"); }
    public String icePwd() { return attribute("ice-pwd"); }
    public boolean rtcpMux() { return hasAttribute("rtcp-mux"); }
    public boolean endOfCandidates() { return hasAttribute("end-of-candidates"); }

    /** {@code a=setup} (RFC 4145 §4, RFC 8842 §5): actpass, active, passive; or null. */
    public String setup() { return attribute("setup"); }

    /** The direction attribute; sendrecv when absent (RFC 8866 §6.7). */
    public Direction direction() {
        return attributes(Direction.class).stream().findFirst().orElse(Direction.SENDRECV);
    }

    public Optional<Fingerprint> fingerprint() {
        return attributes(Fingerprint.class).stream().findFirst();
    }

    public Optional<Msid> msid() {
        return attributes(Msid.class).stream().findFirst();
    }

    public Optional<Simulcast> simulcast() {
        return attributes(Simulcast.class).stream().findFirst();
    }

    public List<Rid> rids() { return attributes(Rid.class); }
    public List<Extmap> extmaps() { return attributes(Extmap.class); }
    public List<Ssrc> ssrcs() { return attributes(Ssrc.class); }
    public List<SsrcGroup> ssrcGroups() { return attributes(SsrcGroup.class); }
    public List<Candidate> candidates() { return attributes(Candidate.class); }

    /** The local id negotiated for header extension {@code uri}, or -1. */
    public int extmapId(String uri) {
        for (Extmap e : extmaps()) {
            if (e.uri().equals(uri)) {
                return e.id();
            }
        }
        return -1;
    }

    /** {@code a=sctp-port} (RFC 8841 §5), or -1. */
    public int sctpPort() {
        String v = attribute("sctp-port");
        return v == null ? -1 : SdpText.parseInt(v, 0, 65535, "sctp-port");
    }

    /** {@code a=max-message-size} (RFC 8841 §6), or -1 when absent (the default is 64 KiB). */
    public long maxMessageSize() {
        String v = attribute("max-message-size");
        return v == null ? -1 : SdpText.parseLong(v, Long.MAX_VALUE, "max-message-size");
    }

    /** The payload types of the m= line joined with their rtpmap/fmtp/rtcp-fb, in m= order. */
    public List<Codec> codecs() {
        List<Codec> out = new ArrayList<>();
        List<Rtpmap> rtpmaps = attributes(Rtpmap.class);
        List<Fmtp> fmtps = attributes(Fmtp.class);
        List<RtcpFb> feedback = attributes(RtcpFb.class);
        for (String format : formats) {
            int pt;
            try {
                pt = SdpText.parseInt(format, 0, 127, "payload type");
            } catch (SdpParseException notRtp) {
                continue;
            }
            Rtpmap rtpmap = rtpmaps.stream().filter(r -> r.payloadType() == pt).findFirst().orElse(null);
            Fmtp fmtp = fmtps.stream().filter(f -> f.payloadType() == pt).findFirst().orElse(null);
            List<RtcpFb> fbs = feedback.stream().filter(f -> f.appliesTo(pt)).toList();
            out.add(new Codec(pt, rtpmap, fmtp, fbs));
        }
        return out;
    }

    void appendTo(StringBuilder sb) {
        sb.append("m=").append(media).append(' ').append(port);
        if (portCount >= 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(protocol);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        for (SdpLine l : lines) {
            sb.append(l.format()).append("\r\n");
        }
        for (Attribute a : attributes) {
            sb.append("a=").append(a.format()).append("\r\n");
        }
    }

    static MediaDescription parseMediaLine(String value) {
        List<String> f = SdpText.fields(value, "m=");
        if (f.size() < 3) {
            throw new SdpParseException("m= needs media, port and protocol");
        }
        String portText = f.get(1);
        int portCount = -1;
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            portCount = SdpText.parseInt(portText.substring(slash + 1), 0, 65535, "number of ports");
            portText = portText.substring(0, slash);
        }
        for (String s : f) {
            SdpText.token(s, "m= field");
        }
        return new MediaDescription(f.get(0), SdpText.parseInt(portText, 0, 65535, "port"), portCount, f.get(2),
                f.subList(3, f.size()), List.of(), List.of());
    }
}
