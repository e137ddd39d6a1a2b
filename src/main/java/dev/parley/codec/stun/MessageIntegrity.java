package dev.parley.codec.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 8489 §14.5 MESSAGE-INTEGRITY: HMAC-SHA1 over the message up to (not including) this
 * attribute, with the header length field set as if the attribute were the last one.
 * Keys: §9.1.1 short-term (the password) and §9.2.2 long-term (MD5 of username:realm:password).
 */
public final class MessageIntegrity {
    public static final int LENGTH = 20;

    private MessageIntegrity() {
    }

    /** RFC 8489 §9.1.1: the short-term key is the password itself (ICE uses the remote ufrag's password). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8489 §9.2.2: MD5(username ":" realm ":" password), the password already OpaqueString-processed. */
    public static byte[] longTermKey(String username, String realm, String password) {
        return digest("MD5", username + ":" + realm + ":" + password);
    }

    /** RFC 8489 §18.5.1.2: the SHA-256 long-term key used when PASSWORD-ALGORITHM is SHA-256. */
    public static byte[] longTermKeySha256(String username, String realm, String password) {
        return digest("SHA-256", username + ":" + realm + ":" + password);
    }

    /** Whether the message has MESSAGE-INTEGRITY and it verifies with this key (constant-time compare). */
    public static boolean check(StunMessage message, byte[] key) {
        int at = message.integrityAt();
        if (at < 0) return false;
        byte[] raw = message.raw();
        byte[] expected = hmac("HmacSHA1", key, raw, at, at + 4 + LENGTH - StunMessage.HEADER_LENGTH);
        return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(raw, at + 4, at + 4 + LENGTH));
    }

    /** Whether the message carries MESSAGE-INTEGRITY at all. */
    public static boolean isPresent(StunMessage message) {
        return message.hasIntegrity();
    }

    /** HMAC over {@code raw[0..end)} with the length field replaced by {@code lengthField}. */
    static byte[] hmac(String algorithm, byte[] key, byte[] raw, int end, int lengthField) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // An empty HMAC key is valid (RFC 2104) but SecretKeySpec refuses it; one zero byte pads to the same key.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            mac.update(raw, 0, 2);
            mac.update((byte) (lengthField >> 8));
            mac.update((byte) lengthField);
            mac.update(raw, 4, end - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }
}
