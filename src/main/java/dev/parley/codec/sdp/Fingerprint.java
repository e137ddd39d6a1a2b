package dev.parley.codec.sdp;

import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code a=fingerprint:<hash function> <hex:hex:...>} (RFC 8122 §5): the DTLS certificate
 * hash the handshake must match.
 */
public record Fingerprint(String hashFunction, String value) implements Attribute {
    public Fingerprint {
        SdpText.requireToken(hashFunction, "hash function");
        SdpText.requireToken(value, "fingerprint");
    }

    /** Formats a digest the way browsers write it: upper-case hex pairs joined by colons. */
    public static Fingerprint of(String hashFunction, byte[] digest) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HexFormat.of().withUpperCase().toHexDigits(digest[i]));
        }
        return new Fingerprint(hashFunction, sb.toString());
    }

    static Fingerprint parse(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("a=fingerprint without a value");
        }
        String value = text.substring(space + 1);
        for (String pair : value.split(":", -1)) {
            if (pair.length() != 2 || Character.digit(pair.charAt(0), 16) < 0 || Character.digit(pair.charAt(1), 16) < 0) {
                throw new SdpParseException("a=fingerprint is not colon-separated hex pairs");
            }
        }
        return new Fingerprint(SdpText.token(text.substring(0, space), "hash function"), value);
    }

    /** The digest bytes. */
    public byte[] digest() {
        return HexFormat.of().parseHex(value.replace(":", "").toLowerCase(Locale.ROOT));
    }

    @Override
    public String attributeName() {
        return "fingerprint";
    }

    @Override
    public String attributeValue() {
        return hashFunction + " " + value;
    }
}
