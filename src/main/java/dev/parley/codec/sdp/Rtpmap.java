package dev.parley.codec.sdp;

/**
 * {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]} (RFC 8866 §6.6).
 *
 * @param channels -1 when the optional channel count is absent
 */
public record Rtpmap(int payloadType, String encodingName, int clockRate, int channels) implements Attribute {
    public Rtpmap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range");
        }
        SdpText.requireToken(encodingName, "encoding name");
        if (encodingName.indexOf('/') >= 0) {
            throw new IllegalArgumentException("encoding name contains '/'");
        }
    }

    static Rtpmap parse(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=rtpmap without encoding");
        }
        int pt = SdpText.parseInt(value.substring(0, space), 0, 127, "rtpmap payload type");
        String[] parts = value.substring(space + 1).split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new SdpParseException("a=rtpmap encoding is not name/rate[/channels]");
        }
        int channels = parts.length == 3 ? SdpText.parseInt(parts[2], 1, 255, "rtpmap channels") : -1;
        return new Rtpmap(pt, SdpText.token(parts[0], "encoding name"),
                SdpText.parseInt(parts[1], 1, Integer.MAX_VALUE, "clock rate"), channels);
    }

    @Override
    public String attributeName() {
        return "rtpmap";
    }

    @Override
    public String attributeValue() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels >= 0 ? "/" + channels : "");
    }
}
