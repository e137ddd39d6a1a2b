package dev.parley.codec.sdp;

/**
 * A value attribute kept verbatim (RFC 8866 §5.13): mid, ice-ufrag, ice-pwd, ice-options,
 * setup, sctp-port, max-message-size, rtcp, msid-semantic and any attribute this package
 * does not model. The value is everything after the first colon, spaces included.
 */
public record ValueAttribute(String attributeName, String attributeValue) implements Attribute {
    public ValueAttribute {
        SdpText.requireName(attributeName, "attribute name");
        SdpText.requireLineSafe(attributeValue);
    }
}
