package dev.parley.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints ephemeral TURN credentials in the TURN REST API scheme (draft-uberti-behave-turn-rest-00,
 * coturn {@code use-auth-secret}): username {@code <unix expiry>:<identity>}, password
 * {@code base64(HMAC-SHA1(secret, username))}. The built-in server and any coturn with the same
 * {@code static-auth-secret} accept them alike.
 */
public final class TurnCredentials {
    /** One minted credential pair, as it goes into an RTCIceServer. */
    public record Credential(String username, String password, Instant expiresAt) {
    }

    private final String secret;
    private final Duration ttl;
    private final Clock clock;

    public TurnCredentials(String secret, Duration ttl) {
        this(secret, ttl, Clock.systemUTC());
    }

    public TurnCredentials(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("TURN shared secret is empty");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("credential TTL must be positive");
        this.secret = secret;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Credentials for one identity (e.g. a signaling session id), valid for the configured TTL. */
    public Credential mint(String identity) {
        if (identity == null || identity.isEmpty()) throw new IllegalArgumentException("identity is empty");
        Instant expiresAt = clock.instant().plus(ttl);
        String username = expiresAt.getEpochSecond() + ":" + identity;
        return new Credential(username, password(secret, username), expiresAt);
    }

    /** base64(HMAC-SHA1(secret, username)), the password a REST username maps to. */
    public static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA1", e);
        }
    }
}
