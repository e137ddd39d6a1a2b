package dev.parley.codec.sdp;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code cname:…} or
 * {@code msid:<stream> <track>}.
 *
 * @param value null when the source attribute has no value
 */
public record Ssrc(long ssrc, String name, String value) implements Attribute {
    public Ssrc {
        if (ssrc < 0 || ssrc > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("SSRC out of range");
        }
        SdpText.requireName(name, "ssrc attribute");
        if (value != null) {
            SdpText.requireLineSafe(value);
        }
    }

    static Ssrc parse(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=ssrc without an attribute");
        }
        long ssrc = SdpText.parseLong(text.substring(0, space), 0xFFFFFFFFL, "SSRC");
        String rest = text.substring(space + 1);
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        return new Ssrc(ssrc, SdpText.token(name, "ssrc attribute"), colon < 0 ? null : rest.substring(colon + 1));
    }

    @Override
    public String attributeName() {
        return "ssrc";
    }

    @Override
    public String attributeValue() {
        return ssrc + " " + name + (value == null ? "" : ":" + value);
    }
}
