package dev.parley.codec.sdp;

/**
 * One {@code a=} line (RFC 8866 §5.13). WebRTC attributes with structure have their own
 * record; everything else is kept verbatim as {@link ValueAttribute} or {@link FlagAttribute}
 * so that unknown attributes survive a parse/serialise round trip byte for byte.
 */
public sealed interface Attribute
        permits FlagAttribute, ValueAttribute, Direction, Group, Rtpmap, Fmtp, RtcpFb, Extmap, Ssrc,
                SsrcGroup, Msid, Rid, Simulcast, Candidate, Fingerprint {

    /** The attribute name, before the colon. */
    String attributeName();

    /** The text after the colon, or null for a property attribute such as {@code a=rtcp-mux}. */
    String attributeValue();

    /** The full line without {@code a=} and without the line ending. */
    default String format() {
        String value = attributeValue();
        return value == null ? attributeName() : attributeName() + ":" + value;
    }

    /** Parses the text after {@code a=}; structured WebRTC attributes become their records. */
    static Attribute parse(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            Direction direction = Direction.fromName(line);
            return direction != null ? direction : new FlagAttribute(line);
        }
        String name = line.substring(0, colon);
        String value = line.substring(colon + 1);
        return switch (name) {
            case "group" -> Group.parse(value);
            case "rtpmap" -> Rtpmap.parse(value);
            case "fmtp" -> Fmtp.parse(value);
            case "rtcp-fb" -> RtcpFb.parse(value);
            case "extmap" -> Extmap.parse(value);
            case "ssrc" -> Ssrc.parse(value);
            case "ssrc-group" -> SsrcGroup.parse(value);
            case "msid" -> Msid.parse(value);
            case "rid" -> Rid.parse(value);
            case "simulcast" -> Simulcast.parse(value);
            case "candidate" -> Candidate.parseValue(value);
            case "fingerprint" -> Fingerprint.parse(value);
            default -> new ValueAttribute(name, value);
        };
    }
}
