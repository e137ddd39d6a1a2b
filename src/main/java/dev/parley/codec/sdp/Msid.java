package dev.parley.codec.sdp;

/**
 * {@code a=msid:<stream id>[ <track id>]} (RFC 8830 §2): the MediaStream a track belongs to.
 * Chromium writes {@code -} as the stream id for a track without a stream.
 *
 * @param trackId null when absent
 */
public record Msid(String streamId, String trackId) implements Attribute {
    public Msid {
        SdpText.requireToken(streamId, "msid stream id");
        if (trackId != null) {
            SdpText.requireToken(trackId, "msid track id");
        }
    }

    static Msid parse(String value) {
        java.util.List<String> f = SdpText.fields(value, "a=msid");
        if (f.size() > 2) {
            throw new SdpParseException("a=msid has more than two fields");
        }
        return new Msid(SdpText.token(f.get(0), "msid"), f.size() == 2 ? SdpText.token(f.get(1), "msid") : null);
    }

    @Override
    public String attributeName() {
        return "msid";
    }

    @Override
    public String attributeValue() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
