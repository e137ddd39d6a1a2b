package dev.parley.signaling.auth;

import java.nio.charset.StandardCharsets;

/**
 * The API key and secret that sign join tokens ({@code --api-key}, {@code --api-secret}); the key
 * travels in a token's {@code iss} claim, the secret never leaves the server and the operator's
 * backend.
 */
public record ApiKey(String key, String secret) {
    /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    public ApiKey {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("the API key is empty");
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the API secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (HS256 needs a 256-bit key; e.g. openssl rand -base64 32)");
        }
    }

    byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiKey[" + key + ", secret hidden]";
    }
}
