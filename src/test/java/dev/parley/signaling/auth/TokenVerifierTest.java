package dev.parley.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Join tokens: RFC 7515 vectors, LiveKit-shaped tokens made by hand, and each way a token is refused. */
class TokenVerifierTest {
    static final ApiKey KEY = new ApiKey("APIkey1", "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t");
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static TokenVerifier verifierAt(Instant now) {
        return new TokenVerifier(KEY, Clock.fixed(now, ZoneOffset.UTC), TokenVerifier.DEFAULT_LEEWAY);
    }

    /** A token as any JWT code would make it: header and claims as given, HMAC-SHA256 with {@code secret}. */
    static String handMade(String header, String claims, String secret) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static TokenException.Reason refusal(TokenVerifier verifier, String jwt) {
        return assertThrows(TokenException.class, () -> verifier.verify(jwt)).reason();
    }

    @Test
    void rfc7515AppendixA1SignatureVerifies() {
        // RFC 7515 Appendix A.1: an HS256 JWS with a 64-byte binary key.
        byte[] key = Base64.getUrlDecoder().decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        assertTrue(Hs256.verify(key, input, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assertFalse(Hs256.verify(key, input, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"));
    }

    @Test
    void mintedTokenRoundTrips() throws Exception {
        JoinToken token = new JoinToken("alice", "Ann", "abc", true, false, false, true, NOW, NOW.plusSeconds(3600));
        JoinToken read = verifierAt(NOW).verify(new TokenMinter(KEY).mint(token));
        assertEquals(token, read);
        assertEquals("Ann", read.displayName());
    }

    @Test
    void liveKitShapedTokenIsAcceptedWithLiveKitDefaults() throws Exception {
        // As livekit-server-sdk writes it: other claim order, extra claims, canPublish/canSubscribe unset.
        String claims = "{\"video\":{\"roomJoin\":true,\"room\":\"standup\",\"canPublishData\":true},"
                + "\"metadata\":\"{}\",\"iss\":\"APIkey1\",\"exp\":" + NOW.plusSeconds(600).getEpochSecond()
                + ",\"nbf\":" + NOW.minusSeconds(5).getEpochSecond() + ",\"sub\":\"bob\",\"jti\":\"bob\"}";
        JoinToken token = verifierAt(NOW).verify(handMade("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, KEY.secret()));
        assertEquals("bob", token.identity());
        assertNull(token.name());
        assertEquals("bob", token.displayName(), "without a name claim the identity is shown");
        assertEquals("standup", token.room());
        assertTrue(token.roomJoin() && token.canPublish() && token.canSubscribe());
        assertFalse(token.roomCreate());
    }

    @Test
    void algorithmsOtherThanHs256AreRefusedIncludingNone() throws Exception {
        String claims = "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}";
        String unsigned = B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
        assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), unsigned));
        for (String alg : new String[] {"none", "HS512", "RS256", "hs256"}) {
            String jwt = handMade("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", claims, KEY.secret());
            assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), jwt), alg);
        }
        String critical = handMade("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", claims, KEY.secret());
        assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), critical));
    }

    @Test
    void otherSecretOrOtherIssuerIsInvalid() throws Exception {
        String claims = "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}";
        assertEquals(TokenException.Reason.INVALID,
                refusal(verifierAt(NOW), handMade("{\"alg\":\"HS256\"}", claims, "another-secret-another-secret-12345")));
        String otherKey = claims.replace("APIkey1", "APIkey2");
        assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), handMade("{\"alg\":\"HS256\"}", otherKey, KEY.secret())));
    }

    @Test
    void missingOrIllTypedClaimsAreInvalid() throws Exception {
        long exp = NOW.plusSeconds(60).getEpochSecond();
        String[] bad = {
            "{\"iss\":\"APIkey1\",\"sub\":\"x\"}", // no exp: would never expire
            "{\"iss\":\"APIkey1\",\"exp\":" + exp + "}", // no identity
            "{\"iss\":\"APIkey1\",\"sub\":\"\",\"exp\":" + exp + "}",
            "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":\"tomorrow\"}",
            "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":1e300}",
            "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":" + exp + ",\"video\":[]}",
            "{\"iss\":\"APIkey1\",\"sub\":\"x\",\"exp\":" + exp + ",\"video\":{\"roomJoin\":\"yes\"}}",
            "{\"iss\":\"APIkey1\",\"sub\":7,\"exp\":" + exp + "}",
            "[1,2]",
            "not json",
        };
        for (String claims : bad) {
            assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), handMade("{\"alg\":\"HS256\"}", claims, KEY.secret())), claims);
        }
    }

    @Test
    void malformedSerializationsAreInvalid() throws Exception {
        String good = new TokenMinter(KEY).mint(JoinToken.forRoom("a", null, "r", NOW, Duration.ofHours(1)));
        String[] parts = good.split("\\.");
        String[] bad = {"", ".", "..", "a.b", good + ".x", parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2] + "=", good.replace('.', ' '), "x".repeat(5000)};
        for (String jwt : bad) assertEquals(TokenException.Reason.INVALID, refusal(verifierAt(NOW), jwt), jwt);
    }

    @Test
    void expiryAndNotBeforeAllowThirtySecondsOfClockSkew() throws Exception {
        JoinToken token = new JoinToken("a", null, "r", true, false, true, true, NOW, NOW.plusSeconds(600));
        String jwt = new TokenMinter(KEY).mint(token);
        verifierAt(NOW.plusSeconds(600 + 29)).verify(jwt);
        assertEquals(TokenException.Reason.EXPIRED, refusal(verifierAt(NOW.plusSeconds(600 + 30)), jwt));
        verifierAt(NOW.minusSeconds(30)).verify(jwt);
        assertEquals(TokenException.Reason.NOT_YET_VALID, refusal(verifierAt(NOW.minusSeconds(31)), jwt));
    }

    @Test
    void shortSecretsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ApiKey("k", "x".repeat(31)));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        new ApiKey("k", "x".repeat(32));
    }
}
