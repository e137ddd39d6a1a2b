package dev.parley.codec.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <uri>[ <attributes>]} (RFC 8285 §8): binds an RTP
 * header extension URI to the local id carried in packets.
 *
 * @param direction null when absent (meaning sendrecv)
 * @param extensionAttributes null when absent; otherwise kept verbatim
 */
public record Extmap(int id, Direction direction, String uri, String extensionAttributes) implements Attribute {
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public Extmap {
        // RFC 8285 §5: 1-14 one-byte, 1-255 two-byte; 4096-4351 are for negotiation only.
        if (id < 1 || id > 255 && (id < 4096 || id > 4351)) {
            throw new IllegalArgumentException("extmap id out of range");
        }
        SdpText.requireToken(uri, "extmap URI");
        if (extensionAttributes != null) {
            SdpText.requireLineSafe(extensionAttributes);
        }
    }

    public Extmap(int id, String uri) {
        this(id, null, uri, null);
    }

    static Extmap parse(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=extmap without a URI");
        }
        String idPart = value.substring(0, space);
        Direction direction = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            direction = Direction.fromName(idPart.substring(slash + 1));
            if (direction == null) {
                throw new SdpParseException("a=extmap with an unknown direction");
            }
            idPart = idPart.substring(0, slash);
        }
        int id = SdpText.parseInt(idPart, 1, 4351, "extmap id");
        String rest = value.substring(space + 1);
        int second = rest.indexOf(' ');
        String uri = second < 0 ? rest : rest.substring(0, second);
        return new Extmap(id, direction, SdpText.token(uri, "extmap URI"),
                second < 0 ? null : rest.substring(second + 1));
    }

    @Override
    public String attributeName() {
        return "extmap";
    }

    @Override
    public String attributeValue() {
        return id + (direction == null ? "" : "/" + direction.token()) + " " + uri
                + (extensionAttributes == null ? "" : " " + extensionAttributes);
    }
}
