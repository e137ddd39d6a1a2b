package dev.parley.codec.stun;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * RFC 8489 §14.6 MESSAGE-INTEGRITY-SHA256: HMAC-SHA256 over the message up to this attribute,
 * possibly truncated to 16..32 bytes; same keys as {@link MessageIntegrity}.
 */
public final class MessageIntegritySha256 {
    public static final int LENGTH = 32;

    private MessageIntegritySha256() {
    }

    /** Whether the message has MESSAGE-INTEGRITY-SHA256 and it verifies with this key (constant-time compare). */
    public static boolean check(StunMessage message, byte[] key) {
        int at = message.integritySha256At();
        if (at < 0) return false;
        byte[] raw = message.raw();
        int length = StunMessage.readShort(raw, at + 2);
        byte[] expected = MessageIntegrity.hmac("HmacSHA256", key, raw, at, at + 4 + length - StunMessage.HEADER_LENGTH);
        return MessageDigest.isEqual(Arrays.copyOf(expected, length), Arrays.copyOfRange(raw, at + 4, at + 4 + length));
    }

    public static boolean isPresent(StunMessage message) {
        return message.hasIntegritySha256();
    }
}
