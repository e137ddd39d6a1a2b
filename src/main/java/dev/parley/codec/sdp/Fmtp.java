package dev.parley.codec.sdp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code a=fmtp:<format> <parameters>} (RFC 8866 §6.15). Parameters are kept verbatim; {@link
 * #parameters()} reads the usual {@code key=value;key=value} form (RFC 7587, RFC 6184 §8.1).
 */
public record Fmtp(String payloadFormat, String parameterText) implements Attribute {
    public Fmtp {
        SdpText.requireToken(payloadFormat, "fmtp format");
        SdpText.requireLineSafe(parameterText);
    }

    static Fmtp parse(String value) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=fmtp without parameters");
        }
        return new Fmtp(SdpText.token(value.substring(0, space), "fmtp format"), value.substring(space + 1));
    }

    /** The payload type this applies to, or -1 when the format is not a number (e.g. SCTP). */
    public int payloadType() {
        try {
            return SdpText.parseInt(payloadFormat, 0, 127, "fmtp payload type");
        } catch (SdpParseException notNumeric) {
            return -1;
        }
    }

    /** Parameters as an ordered map; a parameter without '=' maps to the empty string. */
    public Map<String, String> parameters() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : parameterText.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                out.put(p, "");
            } else {
                out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        return out;
    }

    @Override
    public String attributeName() {
        return "fmtp";
    }

    @Override
    public String attributeValue() {
        return payloadFormat + " " + parameterText;
    }
}
