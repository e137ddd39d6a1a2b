package dev.parley.codec.sdp;

/**
 * {@code a=rtcp-fb:<pt|*> <type>[ <parameter>]} (RFC 4585 §4.2), e.g. {@code nack pli},
 * {@code ccm fir} (RFC 5104 §7.1), {@code transport-cc}, {@code goog-remb}.
 *
 * @param payloadType a payload type number or {@code *}
 * @param parameter null when absent; otherwise kept verbatim
 */
public record RtcpFb(String payloadType, String type, String parameter) implements Attribute {
    public RtcpFb {
        SdpText.requireToken(payloadType, "rtcp-fb payload type");
        SdpText.requireToken(type, "rtcp-fb type");
        if (parameter != null) {
            SdpText.requireLineSafe(parameter);
        }
    }

    static RtcpFb parse(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=rtcp-fb without a type");
        }
        String pt = value.substring(0, space);
        if (!pt.equals("*")) {
            SdpText.parseInt(pt, 0, 127, "rtcp-fb payload type");
        }
        String rest = value.substring(space + 1);
        int second = rest.indexOf(' ');
        String type = second < 0 ? rest : rest.substring(0, second);
        String parameter = second < 0 ? null : rest.substring(second + 1);
        return new RtcpFb(pt, SdpText.token(type, "rtcp-fb type"), parameter);
    }

    /** True when this applies to payload type {@code pt} (directly or through {@code *}). */
    public boolean appliesTo(int pt) {
        return payloadType.equals("*") || payloadType.equals(Integer.toString(pt));
    }

    @Override
    public String attributeName() {
        return "rtcp-fb";
    }

    @Override
    public String attributeValue() {
        return payloadType + " " + type + (parameter == null ? "" : " " + parameter);
    }
}
