package dev.parley.signaling.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWS compact serialization (RFC 7515 §7.1) with HMAC-SHA256 (RFC 7518 §3.2), the only algorithm
 * Parley signs or accepts.
 */
final class Hs256 {
    static final String ALG = "HS256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Hs256() {}

    /** {@code BASE64URL(header) . BASE64URL(payload) . BASE64URL(HMAC)} (RFC 7515 §7.1). */
    static String sign(byte[] secret, byte[] header, byte[] payload) {
        String signingInput = B64.encodeToString(header) + "." + B64.encodeToString(payload);
        return signingInput + "." + B64.encodeToString(mac(secret, signingInput));
    }

    /**
     * True if {@code signaturePart} is the base64url HMAC of {@code signingInput}. The encoded forms
     * are compared, in constant time: decoding first would accept other spellings of the same bytes
     * (unused low bits of the last character).
     */
    static boolean verify(byte[] secret, String signingInput, String signaturePart) {
        byte[] expected = B64.encodeToString(mac(secret, signingInput)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signaturePart.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Base64url without padding (RFC 7515 §2, §Appendix C); null for any other character, padding
     * included, or a length no encoding produces.
     */
    static byte[] decode(String part) {
        if (part.length() % 4 == 1) return null;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return null;
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] mac(byte[] secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
