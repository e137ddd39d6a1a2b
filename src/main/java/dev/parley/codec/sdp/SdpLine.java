package dev.parley.codec.sdp;

/**
 * A non-attribute line kept verbatim, such as {@code t=}, {@code c=} or {@code b=}
 * (RFC 8866 §5). Attribute lines are {@link Attribute}s.
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        if (type < 'a' || type > 'z' || type == 'a' || type == 'm' || type == 'v' || type == 'o' || type == 's') {
            throw new IllegalArgumentException("not a free-form SDP line type: " + type);
        }
        SdpText.requireLineSafe(value);
    }

    String format() {
        return type + "=" + value;
    }
}
