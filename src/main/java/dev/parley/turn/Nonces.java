package dev.parley.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless NONCEs (RFC 8489 §9.2, §9.2.4): {@code base64url(expiry ‖ HMAC(key, expiry ‖ client IP))}.
 * Nothing is stored per client before it authenticates; a nonce is valid only from the IP it was
 * issued to and only until its expiry, after which requests get 438 Stale Nonce.
 */
final class Nonces {
    static final long LIFETIME_SECONDS = 600;
    private static final int MAC_LENGTH = 12;

    private final byte[] key = new byte[32];

    Nonces() {
        new SecureRandom().nextBytes(key);
    }

    /** Outcome of checking a nonce. */
    enum Check { VALID, STALE, INVALID }

    String issue(InetAddress client, long nowSeconds) {
        long expiry = nowSeconds + LIFETIME_SECONDS;
        ByteBuffer b = ByteBuffer.allocate(8 + MAC_LENGTH);
        b.putLong(expiry).put(mac(expiry, client), 0, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    Check check(String nonce, InetAddress client, long nowSeconds) {
        if (nonce == null || nonce.length() > 64) return Check.INVALID;
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return Check.INVALID;
        }
        if (raw.length != 8 + MAC_LENGTH) return Check.INVALID;
        long expiry = ByteBuffer.wrap(raw).getLong();
        byte[] expected = java.util.Arrays.copyOf(mac(expiry, client), MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(raw, 8, raw.length))) return Check.INVALID;
        return expiry < nowSeconds ? Check.STALE : Check.VALID;
    }

    private byte[] mac(long expiry, InetAddress client) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(8).putLong(expiry).array());
            mac.update(client.getAddress());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    }
}
