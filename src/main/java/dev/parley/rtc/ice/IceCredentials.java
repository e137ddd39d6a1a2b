package dev.parley.rtc.ice;

import java.security.SecureRandom;

/**
 * Local ICE username fragment and password (RFC 8445 §5.3: ufrag ≥ 4 and password ≥ 22
 * characters of ice-char). Base64url is not ice-char ({@code -} and {@code _}), so the
 * alphabet is restricted to letters and digits.
 */
public record IceCredentials(String ufrag, String password) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    public static IceCredentials random() {
        return new IceCredentials(randomString(8), randomString(24));
    }

    private static String randomString(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        return new String(out);
    }

}
